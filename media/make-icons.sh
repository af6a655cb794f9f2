#!/usr/bin/env bash
# Renders the marketplace icon from media/icon.svg with ImageMagick. The SVG is the source; the PNG is
# committed because the VSIX manifest needs a raster icon. Run again after editing icon.svg.
set -euo pipefail
cd "$(dirname "$0")"
command -v convert >/dev/null || { echo "ImageMagick's convert is required (apt-get install imagemagick)" >&2; exit 1; }

# ImageMagick's built-in SVG renderer draws coarse curves at 1x: render at 9x and scale down.
# -strip and the excluded chunks keep the file small and byte-for-byte reproducible.
convert -background none -density 864 icon.svg -resize 128x128 -strip -depth 8 \
  -define png:exclude-chunks=date,time PNG32:icon.png

size=$(identify -format '%wx%h' icon.png)
[ "$size" = 128x128 ] || { echo "icon.png is $size, expected 128x128" >&2; exit 1; }
echo "media/icon.png: $size, $(wc -c < icon.png) bytes"
