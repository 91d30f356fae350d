# Sourced by the image scripts (pause-image.sh, inspector-image.sh): the OCI layout's blobs.
#
# oci_blob BLOBS_DIR: stores stdin as a blob there; prints "sha256:HEX SIZE".
oci_blob() {
    local tmp hex
    tmp=$(mktemp)
    cat >"$tmp"
    hex=$(sha256sum "$tmp" | cut -d' ' -f1)
    mv "$tmp" "$1/$hex"
    echo "sha256:$hex $(stat -c %s "$1/$hex")"
}
