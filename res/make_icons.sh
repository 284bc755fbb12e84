#!/usr/bin/env bash
# res/make_icons.sh: draws the ListView status icons (status_*.ico) with ImageMagick.
# Each icon holds 16, 20, 24 and 32 px images so 100-200 % DPI need no blurry scaling.
# The images are 4-bit (at most 15 colours plus a 1-bit mask, ~2 KB an icon instead of ~9.6 KB
# as 32-bit): each size is drawn from the large picture, edges blended onto white (the list's
# background), no dithering, so the flat shapes look the same at these sizes.
# Run from anywhere: bash res/make_icons.sh (needs /usr/bin/convert and the DejaVu fonts).
set -euo pipefail
cd "$(dirname "$0")"
c=/usr/bin/convert
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
$c -size 256x256 xc:none -fill '#2e9e3e' -stroke '#1d6e2a' -strokewidth 10 -draw "circle 128,128 128,10" \
   -fill none -stroke white -strokewidth 34 -draw "polyline 66,132 108,176 190,86" "$work/ok.png"
$c -size 256x256 xc:none -fill '#2a6fd0' -stroke '#1b4f99' -strokewidth 10 -draw "circle 128,128 128,10" \
   -fill white -stroke none -draw "circle 128,70 128,48" -draw "roundrectangle 108,104 148,204 8,8" "$work/info.png"
$c -size 256x256 xc:none -fill '#f2c200' -stroke '#9a7a00' -strokewidth 10 -draw "polygon 128,14 246,232 10,232" \
   -fill black -stroke none -draw "roundrectangle 114,76 142,168 8,8" -draw "circle 128,198 128,182" "$work/warning.png"
$c -size 256x256 xc:none -fill '#d0312d' -stroke '#8e1f1c' -strokewidth 10 -draw "circle 128,128 128,10" \
   -fill none -stroke white -strokewidth 34 -draw "line 80,80 176,176" -draw "line 176,80 80,176" "$work/problem.png"
$c -size 256x256 xc:none -fill '#8a8a8a' -stroke '#5f5f5f' -strokewidth 10 -draw "circle 128,128 128,10" \
   -fill white -stroke none -font DejaVu-Sans-Bold -pointsize 200 -gravity center -annotate +0+6 '?' "$work/not_checked.png"
for n in ok info warning problem not_checked; do
    sizes=()
    for s in 32 24 20 16; do
        $c "$work/$n.png" -resize "${s}x$s" \( +clone -background white -alpha remove -alpha off \) \
           \( -clone 0 -alpha extract -threshold 40% \) -delete 0 -compose CopyOpacity -composite \
           +dither -colors 15 "PNG32:$work/${n}_$s.png"
        sizes+=("$work/${n}_$s.png")
    done
    $c "${sizes[@]}" +dither -colors 15 -type PaletteAlpha "status_$n.ico"
done
