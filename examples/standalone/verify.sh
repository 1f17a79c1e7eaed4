#!/usr/bin/env bash
# Proves that a user's project builds against the published jetsketch artifacts: installs the
# reactor (0.1.0-SNAPSHOT) into the local repository, then builds and tests examples/standalone,
# a project that is not part of the reactor. Usable from CI (.ci/run) as one step.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
mvn -q -B install -DskipTests "$@"
mvn -q -B -f examples/standalone/pom.xml verify "$@"
echo "standalone build OK"
