#!/usr/bin/env bash
# System packages the platform needs on Debian/Ubuntu: Chromium for the browser tests, Noto CJK fonts
# so Chinese renders in screenshots and PDFs, Noto Color Emoji for emoji in names, poppler-utils to
# inspect PDFs, Pango for WeasyPrint, a Java runtime for the W3C HTML checker (vnu-jar) the crawl test runs.
# Installs them when running as root; otherwise prints the command to run.
set -eu
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -qi "noto" || need+=(fonts-noto-cjk)
# Colour emoji in names on certificates and transcripts (lms/pdf.py embeds the face when a name has one).
[ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || need+=(fonts-noto-color-emoji)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "Please install these system packages, then run make again:" >&2
  echo "  sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
