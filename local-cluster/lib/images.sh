# shellcheck shell=bash disable=SC2154 # state, repo, bridge, ...: set by lib/settings.sh and the script that sources this
# Sourced by local-cluster/cluster: `cluster images` builds the operator and scorer images from their own
# Dockerfiles with buildah (the files a user builds with `docker build`), on a JRE base image made from
# Debian's packages (no registry is reachable here), and imports them into the real node's containerd.

operator_image=mlws.local/operator:local
scorer_image=mlws.local/scorer:local
pause_image=mlws.local/pause:${KUBERNETES_VERSION}

buildah_() { buildah --storage-driver "${MLWS_BUILDAH_DRIVER:-vfs}" --root "$cache/buildah/root" \
  --runroot "$state/buildah-run" "$@"; }

# A JRE image from Debian's packages, once per suite: mmdebstrap writes the root file system, buildah makes
# it an image.
jre_base_image() {
  local ref="mlws.local/jre-base:${JRE_BASE_SUITE}-17"
  # One maker at a time (CI makes it in the background while the build runs; the e2e then waits here).
  mkdir -p "$cache"
  exec {base_lock}> "$cache/jre-base.lock"
  flock "$base_lock"
  if ! buildah_ inspect --type image "$ref" >/dev/null 2>&1; then
    say "making the JRE base image from Debian's packages (once; about a minute)"
    local dir; dir=$(mktemp -d "$cache/jre-base.XXXX")
    mmdebstrap --quiet --variant=essential --include=openjdk-17-jre-headless,passwd \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
      "$JRE_BASE_SUITE" "$dir/rootfs.tar" http://deb.debian.org/debian >&2
    local ctr; ctr=$(buildah_ from scratch)
    buildah_ add "$ctr" "$dir/rootfs.tar" / >/dev/null
    buildah_ config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
    buildah_ commit --quiet --rm "$ctr" "$ref" >/dev/null
    rm -rf "$dir"
  fi
  flock -u "$base_lock"
  exec {base_lock}>&-
  echo "$ref"
}

# The pod sandbox image: Kubernetes' pause program alone in an image.
pause_image_archive() { # bin
  local archive
  archive="$cache/images/pause-$(sha256sum "$1/pause" | cut -c1-12).tar"
  if [ ! -s "$archive" ]; then
    mkdir -p "$cache/images"
    local ctr; ctr=$(buildah_ from scratch)
    buildah_ copy "$ctr" "$1/pause" /pause >/dev/null
    buildah_ config --entrypoint '["/pause"]' --user 65535:65535 "$ctr"
    buildah_ commit --quiet --rm "$ctr" "$pause_image" >/dev/null
    buildah_ push --quiet "$pause_image" "docker-archive:$archive.tmp:$pause_image" >/dev/null
    mv "$archive.tmp" "$archive"
  fi
  echo "$archive"
}

# What an image is made of: its Dockerfile, the base image and every file the Dockerfile copies (our Dockerfiles
# copy plain files from their context). The jars are reproducible, so unchanged sources give the same key.
image_inputs_key() { # module base
  local module=$1 base=$2 dir="$repo/$1"
  {
    sha256sum "$dir/Dockerfile"
    buildah_ inspect --type image --format '{{.FromImageID}}' "$base"
    awk '$1 == "COPY" { print $2 }' "$dir/Dockerfile" | while read -r source; do sha256sum "$dir/$source"; done
  } | sha256sum | cut -c1-16
}

build_image() { # ref module base
  local ref=$1 module=$2 base=$3
  local key; key=$(image_inputs_key "$module" "$base")
  local cached="mlws.local/cache/$module:$key"
  # The archive containerd imports is kept beside the cached image: an unchanged image is only imported.
  local archive="$cache/images/$module-$key.tar"
  if buildah_ inspect --type image "$cached" > /dev/null 2>&1 && [ -s "$archive" ]; then
    say "$ref from $module/Dockerfile: built before from the same inputs ($cached)"
  else
    say "building $ref from $module/Dockerfile"
    buildah_ bud --quiet --isolation chroot --layers=false --build-arg "BASE=$base" -t "$ref" -t "$cached" \
      -f "$repo/$module/Dockerfile" "$repo/$module" > /dev/null
    mkdir -p "$cache/images"
    rm -f "$archive.tmp"
    buildah_ push --quiet "$ref" "docker-archive:$archive.tmp:$ref" >/dev/null
    mv "$archive.tmp" "$archive"
  fi
  echo "$archive" > "$state/images/$module.archive"
}

# Earlier builds of a module, and their archives, are of no more use once it is built (after both builds: a
# prune beside a running build could take what it is making).
forget_earlier_builds() { # module archive
  local module=$1 key; key=$(basename "$2" .tar); key=${key#"$module"-}
  local old
  for old in $(buildah_ images --noheading --format '{{.Name}}:{{.Tag}}' 2> /dev/null \
    | grep "^mlws.local/cache/$module:" | grep -vxF "mlws.local/cache/$module:$key"); do
    buildah_ rmi "$old" > /dev/null 2>&1 || true
  done
  find "$cache/images" -maxdepth 1 -name "$module-*.tar" ! -name "$module-$key.tar" -delete
}

images() { # bin
  # shellcheck disable=SC2034 # ctr_ reads it
  local bin=$1
  for jar in operator/target/operator.jar scorer-image/target/scorer.jar; do
    [ -s "$repo/$jar" ] || { say "$jar is missing: build it first (mvn -B package -DskipTests)"; exit 1; }
  done
  alive containerd || { say "the node is not running: local-cluster/cluster up first"; exit 1; }
  local base; base=$(jre_base_image)
  # Both images build at once, then go into the node's containerd at once (one after the other, each step
  # took about twice as long).
  mkdir -p "$state/images"
  rm -f "$state/images/"*.archive
  local module pids=() pid failed=false archive
  build_image "$operator_image" operator "$base" & pids+=($!)
  build_image "$scorer_image" scorer-image "$base" & pids+=($!)
  for pid in "${pids[@]}"; do wait "$pid" || failed=true; done
  [ "$failed" = false ] || { say "building the images failed"; exit 1; }
  pids=()
  for module in operator scorer-image; do
    archive=$(cat "$state/images/$module.archive")
    forget_earlier_builds "$module" "$archive"
    ctr_ images import "$archive" >/dev/null &
    pids+=($!)
  done
  buildah_ rmi --prune > /dev/null 2>&1 || true   # the untagged images earlier builds left
  for pid in "${pids[@]}"; do wait "$pid" || failed=true; done
  [ "$failed" = false ] || { say "importing the images into the node failed"; exit 1; }
  echo "$operator_image"
  echo "$scorer_image"
}
