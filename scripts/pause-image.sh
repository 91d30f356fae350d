#!/usr/bin/env bash
# Builds an OCI image of the static pause, FROM scratch: one file, /pause, as its entrypoint.
#
#   bash scripts/pause-image.sh [NAME:TAG]     (default localhost/pauselab-pause:latest)
#
# With podman it imports the image directly (no registry needed). The folder it leaves in
# target/pause-image/ also holds a Containerfile, for `buildah bud`, `docker build` or
# `nerdctl build`:
#
#   containerd:  [plugins."io.containerd.grpc.v1.cri"] sandbox_image = "NAME:TAG"
#   CRI-O:       [crio.image] pause_image = "NAME:TAG"   (pause_command = "/pause")
#   podman:      podman pod create --infra-image NAME:TAG --infra-command /pause
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-localhost/pauselab-pause:latest}

cargo build --locked -p pauselab-native --bin pause --profile pause --target x86_64-unknown-linux-musl
dir=target/pause-image
rm -rf "$dir" && mkdir -p "$dir/rootfs"
install -m 0755 target/x86_64-unknown-linux-musl/pause/pause "$dir/rootfs/pause"
cat > "$dir/Containerfile" <<'CONTAINERFILE'
FROM scratch
COPY rootfs/pause /pause
USER 65535:65535
ENTRYPOINT ["/pause"]
CONTAINERFILE
tar -C "$dir/rootfs" -cf "$dir/rootfs.tar" pause

if command -v podman >/dev/null 2>&1; then
    podman import --change 'ENTRYPOINT ["/pause"]' --change 'USER 65535:65535' "$dir/rootfs.tar" "$name"
    echo "imported $name"
else
    echo "no podman here: build $dir/Containerfile with buildah, docker or nerdctl" >&2
fi
