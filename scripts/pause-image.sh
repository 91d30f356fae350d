#!/usr/bin/env bash
# Builds the pause image, FROM scratch: one file, /pause, as its entrypoint, for pause.c's five
# architectures (amd64, arm64, arm/v7, ppc64le, s390x) — an OCI image index with one manifest
# per platform, like registry.k8s.io/pause.
#
#   bash scripts/pause-image.sh [NAME:TAG]     (default localhost/pauselab-pause:latest)
#
# It leaves in target/pause-image/:
#   oci/                 the OCI image layout (index.json, blobs/sha256/…), every platform
#   pauselab-pause.oci.tar   the same as one archive: `skopeo copy oci-archive:… docker://…`,
#                        `ctr images import --all-platforms`, or `podman load`
#   Containerfile, rootfs-*/   for `buildah bud`, `docker build` or `nerdctl build`
# With podman it also imports this machine's platform as NAME:TAG (no registry needed).
#
#   containerd:  [plugins."io.containerd.grpc.v1.cri"] sandbox_image = "NAME:TAG"
#   CRI-O:       [crio.image] pause_image = "NAME:TAG"   (pause_command = "/pause")
#   podman:      podman pod create --infra-image NAME:TAG --infra-command /pause
#   dockerd:     dockerd --init-path /path/to/pause   (docker run --init uses it)
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-localhost/pauselab-pause:latest}

platforms=(amd64:x86_64-unknown-linux-musl arm64:aarch64-unknown-linux-musl arm:armv7-unknown-linux-musleabihf
    ppc64le:powerpc64le-unknown-linux-musl s390x:s390x-unknown-linux-musl)
bash scripts/build-pause.sh "${platforms[@]#*:}" >&2
dir=target/pause-image
rm -rf "$dir" && mkdir -p "$dir/oci/blobs/sha256"
blobs=$dir/oci/blobs/sha256

. scripts/oci.sh
blob() { oci_blob "$blobs"; }

manifests=()
for platform in "${platforms[@]}"; do
    arch=${platform%%:*}
    target=${platform#*:}
    rootfs=$dir/rootfs-$arch
    mkdir -p "$rootfs"
    install -m 0755 "target/small/$target/pause/pause" "$rootfs/pause"
    # Reproducible: fixed owner, time and order; gzip without a name or time.
    tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$rootfs" -cf "$dir/layer-$arch.tar" pause
    diff_id=sha256:$(sha256sum "$dir/layer-$arch.tar" | cut -d' ' -f1)
    read -r layer layer_size < <(gzip -9n <"$dir/layer-$arch.tar" | blob)
    variant=""
    [ "$arch" = arm64 ] && variant=',"variant":"v8"'
    [ "$arch" = arm ] && variant=',"variant":"v7"'
    read -r config config_size < <(printf '%s' \
        "{\"architecture\":\"$arch\"$variant,\"os\":\"linux\",\"config\":{\"Entrypoint\":[\"/pause\"],\"User\":\"65535:65535\"},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"$diff_id\"]}}" | blob)
    read -r manifest manifest_size < <(printf '%s' \
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"$config\",\"size\":$config_size},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"$layer\",\"size\":$layer_size}]}" | blob)
    manifests+=("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"$manifest\",\"size\":$manifest_size,\"platform\":{\"architecture\":\"$arch\",\"os\":\"linux\"$variant}}")
done
joined=$(IFS=,; echo "${manifests[*]}")
printf '%s' "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[$joined],\"annotations\":{\"org.opencontainers.image.ref.name\":\"${name##*:}\"}}" >"$dir/oci/index.json"
printf '%s' '{"imageLayoutVersion":"1.0.0"}' >"$dir/oci/oci-layout"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$dir/oci" -cf "$dir/pauselab-pause.oci.tar" .
echo "OCI image index (amd64, arm64, arm/v7, ppc64le, s390x): $dir/oci, $dir/pauselab-pause.oci.tar"

cat > "$dir/Containerfile" <<'CONTAINERFILE'
FROM scratch
ARG TARGETARCH
COPY rootfs-${TARGETARCH}/pause /pause
USER 65535:65535
ENTRYPOINT ["/pause"]
CONTAINERFILE

if command -v podman >/dev/null 2>&1; then
    here=$(uname -m | sed 's/x86_64/amd64/; s/aarch64/arm64/; s/armv7l/arm/')
    podman import --change 'ENTRYPOINT ["/pause"]' --change 'USER 65535:65535' "$dir/layer-$here.tar" "$name" >&2
    echo "imported $name ($here)"
fi
