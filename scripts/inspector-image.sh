#!/usr/bin/env bash
# Builds the inspector image, FROM scratch: the static `pauselab` (musl) and the built tutorial,
# serving this node live (`pauselab serve --live`) on port 8080 — what deploy/inspector.yaml
# runs on every node of a cluster.
#
#   bash scripts/inspector-image.sh [NAME:TAG]     (default localhost/pauselab-inspector:latest)
#
# It leaves in target/inspector-image/:
#   oci/                          the OCI image layout (amd64)
#   pauselab-inspector.oci.tar    the same as one archive: `ctr -n k8s.io images import`,
#                                 `skopeo copy oci-archive:… docker://REGISTRY/…`, `podman load`
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-localhost/pauselab-inspector:latest}
. scripts/setup.sh
[ -f dist/live/index.html ] || bash scripts/build-web.sh >&2
cargo build --locked --release -p pauselab-native --bin pauselab --target x86_64-unknown-linux-musl >&2
dir=target/inspector-image
rm -rf "$dir" && mkdir -p "$dir/oci/blobs/sha256" "$dir/rootfs"
blobs=$dir/oci/blobs/sha256
. scripts/oci.sh
blob() { oci_blob "$blobs"; }
install -m 0755 target/x86_64-unknown-linux-musl/release/pauselab "$dir/rootfs/pauselab"
cp -r dist "$dir/rootfs/dist"
# Reproducible: fixed owner, time and order; gzip without a name or time.
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$dir/rootfs" -cf "$dir/layer.tar" .
diff_id=sha256:$(sha256sum "$dir/layer.tar" | cut -d' ' -f1)
read -r layer layer_size < <(gzip -9n <"$dir/layer.tar" | blob)
# Root, to read every process's /proc (with CAP_SYS_PTRACE only: see deploy/inspector.yaml).
read -r config config_size < <(printf '%s' \
    "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Entrypoint\":[\"/pauselab\"],\"Cmd\":[\"serve\",\"--live\",\"--dir\",\"/dist\",\"--addr\",\"0.0.0.0:8080\"],\"ExposedPorts\":{\"8080/tcp\":{}},\"User\":\"0:0\"},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"$diff_id\"]}}" | blob)
read -r manifest manifest_size < <(printf '%s' \
    "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"$config\",\"size\":$config_size},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"$layer\",\"size\":$layer_size}]}" | blob)
printf '%s' "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"$manifest\",\"size\":$manifest_size,\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"},\"annotations\":{\"io.containerd.image.name\":\"$name\",\"org.opencontainers.image.ref.name\":\"${name##*:}\"}}]}" >"$dir/oci/index.json"
printf '%s' '{"imageLayoutVersion":"1.0.0"}' >"$dir/oci/oci-layout"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$dir/oci" -cf "$dir/pauselab-inspector.oci.tar" .
echo "$dir/pauselab-inspector.oci.tar ($name, amd64, $(stat -c %s "$dir/layer.tar") bytes uncompressed)"
