#!/bin/sh
# Fetch a headless Chromium for the browser tests where Debian's chromium is not installed:
# the build in the npm package @sparticuz/chromium (made for AWS Lambda), unpacked into DIR with
# a wrapper to name in SPINSCOPE_CHROMIUM. Needs node and npm (and network access to npm).
#
#   sh tests/e2e/get_chromium.sh DIR
#   SPINSCOPE_CHROMIUM=DIR/chromium-wrapper python -m pytest -q tests/e2e
#
# The build must run single-process (the wrapper asks for it) and aborts ("Target closed"; a
# FATAL line in the browser log) when a page needs a font it lacks: it uses the system's fonts
# (fontconfig; DejaVu is enough for the tests).
set -eu
VERSION=153.0.0
if [ $# -ne 1 ]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
for tool in node npm tar; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$0: $tool is needed" >&2; exit 1; }
done
mkdir -p "$1"
DIR=$(cd "$1" && pwd)
cd "$DIR"
npm pack --silent "@sparticuz/chromium@$VERSION" >/dev/null
tar xzf "sparticuz-chromium-$VERSION.tgz"   # -> package/
# brotli-compressed files: the binary and two tar files of libraries
node -e '
const fs = require("fs"), zlib = require("zlib");
for (const [src, dst] of [["chromium.br", "chromium"], ["al2023.tar.br", "al2023.tar"],
                          ["swiftshader.tar.br", "swiftshader.tar"]]) {
  fs.writeFileSync(dst, zlib.brotliDecompressSync(fs.readFileSync("package/bin/" + src)));
}'
chmod +x chromium
mkdir -p al2023
tar xf al2023.tar -C al2023        # -> al2023/lib/ (nss, expat, ...)
tar xf swiftshader.tar             # -> libEGL.so, libGLESv2.so, ... beside the binary
rm -rf package al2023.tar swiftshader.tar "sparticuz-chromium-$VERSION.tgz"
cat > chromium-wrapper <<WRAPPER
#!/bin/sh
export LD_LIBRARY_PATH="$DIR/al2023/lib:$DIR\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
# system fonts: this build cannot fall back to a font it lacks
exec "$DIR/chromium" --no-zygote "\$@" --headless=shell --single-process --font-render-hinting=none
WRAPPER
chmod +x chromium-wrapper
"$DIR/chromium-wrapper" --version 2>/dev/null || true
echo "SPINSCOPE_CHROMIUM=$DIR/chromium-wrapper"
