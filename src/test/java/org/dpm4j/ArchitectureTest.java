package org.dpm4j;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The package picture, as rules that fail the build when code breaks them (ArchUnit). From the bottom up: util;
 * schedule; the forward processes (diffusion); reverse kernels (kernel); the bound and likelihoods (bound) and
 * sampling and conditioning (sampling); networks (nn, nn.conv); the one training loop (train); the baselines that are
 * not diffusion models (baselines, on nn and train); data, plots and results
 * beside; then the experiments, and the notebook helpers and the command line on top.
 */
class ArchitectureTest {
    private static JavaClasses library;

    @BeforeAll
    static void importLibrary() {
        library = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.dpm4j");
    }

    @Test
    @DisplayName("no package cycles: no two packages (nn and nn.conv counted apart) depend on each other, however indirectly")
    void noCycles() {
        slices().matching("org.dpm4j.(**)").should().beFreeOfCycles().check(library);
    }

    @Test
    @DisplayName("the layers: each package uses only the packages below it")
    void layers() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("util").definedBy("org.dpm4j.util..")
                .layer("schedule").definedBy("org.dpm4j.schedule..")
                .layer("diffusion").definedBy("org.dpm4j.diffusion..")
                .layer("kernel").definedBy("org.dpm4j.kernel..")
                .layer("bound").definedBy("org.dpm4j.bound..")
                .layer("sampling").definedBy("org.dpm4j.sampling..")
                .layer("data").definedBy("org.dpm4j.data..")
                .layer("nn").definedBy("org.dpm4j.nn")
                .layer("train").definedBy("org.dpm4j.train..")
                .layer("nn.conv").definedBy("org.dpm4j.nn.conv..")
                .layer("baselines").definedBy("org.dpm4j.baselines..")
                .layer("plot").definedBy("org.dpm4j.plot..")
                .layer("results").definedBy("org.dpm4j.results..")
                .layer("notebook").definedBy("org.dpm4j.notebook..")
                .layer("experiments").definedBy("org.dpm4j.experiments..")
                .layer("ablation").definedBy("org.dpm4j.ablation..")
                .layer("cli").definedBy("org.dpm4j.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("ablation").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("experiments").mayOnlyBeAccessedByLayers("ablation", "cli")
                .whereLayer("notebook").mayOnlyBeAccessedByLayers("experiments", "cli")
                .whereLayer("results").mayOnlyBeAccessedByLayers("experiments", "ablation", "cli", "notebook")
                .whereLayer("plot").mayOnlyBeAccessedByLayers("experiments", "ablation", "notebook")
                .whereLayer("baselines").mayOnlyBeAccessedByLayers("experiments", "ablation", "cli")
                .whereLayer("nn.conv").mayOnlyBeAccessedByLayers("experiments")
                .whereLayer("train").mayOnlyBeAccessedByLayers("nn.conv", "baselines", "experiments", "cli")
                .whereLayer("nn").mayOnlyBeAccessedByLayers("train", "nn.conv", "baselines", "experiments")
                .whereLayer("data").mayOnlyBeAccessedByLayers("bound", "nn.conv", "baselines", "plot", "experiments", "notebook")
                .whereLayer("sampling").mayOnlyBeAccessedByLayers("experiments", "notebook")
                .whereLayer("bound").mayOnlyBeAccessedByLayers("experiments", "notebook", "train")
                .whereLayer("kernel").mayOnlyBeAccessedByLayers("bound", "sampling", "nn", "train", "nn.conv", "experiments", "notebook")
                .whereLayer("diffusion").mayOnlyBeAccessedByLayers("kernel", "bound", "sampling", "nn", "train", "nn.conv", "baselines", "experiments", "notebook", "plot")
                .whereLayer("schedule").mayOnlyBeAccessedByLayers("diffusion", "kernel", "bound", "sampling", "nn", "train", "nn.conv", "baselines", "plot",
                        "results", "experiments", "ablation", "notebook", "cli")
                .check(library);
    }

    @Test
    @DisplayName("the training loop knows nothing of notebooks, experiments or the command line")
    void trainIsIndependent() {
        noClasses().that().resideInAPackage("org.dpm4j.train..").should().dependOnClassesThat()
                .resideInAnyPackage("org.dpm4j.notebook..", "org.dpm4j.experiments..", "org.dpm4j.cli..", "org.dpm4j.nn.conv..")
                .check(library);
    }

    @Test
    @DisplayName("the benchmark is not in the library (it lives in environment/bench)")
    void noBenchmarkInLibrary() {
        noClasses().should().resideInAPackage("org.dpm4j.bench..").allowEmptyShould(true).check(library);
    }
}
