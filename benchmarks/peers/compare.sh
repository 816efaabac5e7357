#!/usr/bin/env bash
# Baseten.Aot against Kiota and NSwag (issue 8), from runs rather than claims. For the seed document
# (../shared/seed/baseten.openapi.yaml, the same operation as spec/) and Baseten's live management
# document (../shared/baseten/management.openapi.json), both read in place:
#
#   1. generates a C# client with each tool pinned in .config/dotnet-tools.json (Kiota 1.38.0,
#      NSwag 14.7.1 with System.Text.Json) into artifacts/peers/apps/<row>/Generated/;
#   2. publishes a one-call NativeAOT app over it (`dotnet publish -c Release -r linux-x64`,
#      PublishAot): Baseten.Aot's are benchmarks/SizeSeed and benchmarks/SizeLive, the peers' are
#      the templates in benchmarks/peers/KiotaApp and NSwagApp, copied next to their client;
#   3. counts the trim and AOT warnings (IL2xxx, IL3xxx) of each publish and records the binary size;
#   4. runs each binary once against a loopback stand-in for Baseten (Python's standard library,
#      127.0.0.1 only, a dummy key) that accepts only the intended request and answers with a full
#      ChainEnvironmentV1: "runs" means the request was right and the answer was read;
#   5. prints what each generator emits for an `anyOf [integer, null]` member
#      (UpdatePromotionSettingsV1.ramp_up_duration_seconds, in both documents) and for a
#      discriminated union (AuditLogEntryV1.event_data: oneOf 43 schemas, discriminator event_type,
#      live document only).
#
# The tables go to standard output and artifacts/peers/results.md; logs to artifacts/peers/logs/.
# Nothing generated is committed. About 10 minutes on an idle 2-core machine (8 NativeAOT
# publishes); needs only NuGet for the tools and packages (Kiota's own update check fails offline,
# harmlessly). --no-publish makes the calls and prints the tables again from the last publish.
#
#   benchmarks/peers/compare.sh [--no-publish]
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 KIOTA_TUTORIAL_ENABLED=false

out=artifacts/peers
seed_doc=../shared/seed/baseten.openapi.yaml
live_doc=../shared/baseten/management.openapi.json
if [ "${1:-}" = --no-publish ] && [ -f "$out/rows.tsv" ]; then
  skip_publish=1
fi
dotnet tool restore > /dev/null
kiota_version=$(dotnet kiota --version 2>/dev/null | tail -1 | sed "s/+.*//")
nswag_version=$(dotnet nswag version 2>/dev/null | sed -nE 's/^NSwag version: (.*)\.0$/\1/p')

if [ -z "${skip_publish:-}" ]; then
  rm -rf "$out"
  mkdir -p "$out/logs" "$out/bin"
  rows="$out/rows.tsv"
  : > "$rows"
  date -u '+%Y-%m-%d %H:%M' > "$out/date"

  document() { if [ "$1" = seed ]; then echo "$seed_doc"; else echo "$live_doc"; fi; }

  # The publish of one row: its log, its warnings, its binary. Args: row, binary path, publish args...
  publish() {
    local row=$1 binary=$2
    shift 2
    local log="$out/logs/publish-$row.log" start status=ok
    echo "== $row: dotnet publish $*"
    start=$(date +%s)
    dotnet publish "$@" -c Release -r linux-x64 > "$log" 2>&1 || status=failed
    local seconds=$(($(date +%s) - start))
    # The console logger repeats each warning in its summary: count distinct lines.
    local il all ids size=0
    il=$({ grep -oE 'warning IL[23][0-9]{3}:.*' "$log" || true; } | sort -u | wc -l)
    all=$({ grep -oE 'warning [A-Z]+[0-9]+:.*' "$log" || true; } | sort -u | wc -l)
    ids=$({ grep -oE 'warning IL[23][0-9]{3}' "$log" || true; } | awk '{print $2}' | sort -u | paste -sd, -)
    if [ "$status" = ok ] && [ -f "$binary" ]; then size=$(stat -c %s "$binary"); else status=failed; fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$row" "$status" "$il" "${ids:--}" "$all" "$size" "$binary" "$seconds" >> "$rows"
  }

  # Baseten.Aot: the size apps CI publishes, with the generated files kept in their obj/ to read.
  for doc in seed live; do
    app=$([ "$doc" = seed ] && echo SizeSeed || echo SizeLive)
    binary=$([ "$doc" = seed ] && echo size-seed || echo size-live)
    publish "baseten-aot-$doc" "$out/bin/baseten-aot-$doc/$binary" "benchmarks/$app" -o "$out/bin/baseten-aot-$doc" -p:EmitCompilerGeneratedFiles=true
    mkdir -p "$out/apps/baseten-aot-$doc"
    ln -sfn "$PWD/$(find "benchmarks/$app/obj/Release" -type d -path '*linux-x64/generated/Baseten.Aot.Generator' | head -1)" "$out/apps/baseten-aot-$doc/Generated"
  done

  # Kiota: the options benchmarks/Baseten.Aot.Benchmarks uses for the seed client.
  for doc in seed live; do
    dir="$out/apps/kiota-$doc"
    mkdir -p "$dir"
    cp benchmarks/peers/KiotaApp/KiotaApp.csproj benchmarks/peers/KiotaApp/Program.cs "$dir/"
    start=$(date +%s)
    dotnet kiota generate --language CSharp --openapi "$(document "$doc")" --output "$dir/Generated" \
      --namespace-name Peers.Kiota --class-name KiotaClient --exclude-backward-compatible --clean-output --log-level Error \
      > "$out/logs/generate-kiota-$doc.log" 2>&1
    echo "kiota-$doc generated in $(($(date +%s) - start)) s"
    publish "kiota-$doc" "$out/bin/kiota-$doc/kiota-app" "$dir" -o "$out/bin/kiota-$doc"
  done

  # NSwag: System.Text.Json, nullable reference types, optional properties nullable, one client class
  # (NSwag's default JSON library is Json.NET; its default polymorphism style needs reflection).
  nswag_options=(/JsonLibrary:SystemTextJson /JsonPolymorphicSerializationStyle:SystemTextJson
    /GenerateNullableReferenceTypes:true /GenerateOptionalPropertiesAsNullable:true
    /OperationGenerationMode:SingleClientFromOperationId /namespace:Peers.NSwag /className:NSwagClient)
  for doc in seed live; do
    dir="$out/apps/nswag-$doc"
    mkdir -p "$dir/Generated"
    cp benchmarks/peers/NSwagApp/NSwagApp.csproj benchmarks/peers/NSwagApp/Program.cs benchmarks/peers/NSwagApp/NSwagJsonContext.cs "$dir/"
    start=$(date +%s)
    dotnet nswag openapi2csclient /input:"$(document "$doc")" /output:"$dir/Generated/NSwagClient.cs" "${nswag_options[@]}" \
      > "$out/logs/generate-nswag-$doc.log" 2>&1
    echo "nswag-$doc generated in $(($(date +%s) - start)) s"
    publish "nswag-$doc" "$out/bin/nswag-$doc/nswag-app" "$dir" -o "$out/bin/nswag-$doc" -p:PeersDocument="$doc"
    # The same client with the JSON metadata from System.Text.Json's generator, as a user adds it.
    cp -r "$dir" "$dir-context"
    rm -rf "$dir-context/obj" "$dir-context/bin"
    publish "nswag-$doc-context" "$out/bin/nswag-$doc-context/nswag-app" "$dir-context" -o "$out/bin/nswag-$doc-context" -p:PeersDocument="$doc" -p:PeersJsonContext=true
  done
fi

exec python3 - "$out" "$kiota_version" "$nswag_version" <<'PY'
import glob, json, os, re, subprocess, sys

sys.path.insert(0, "benchmarks")
import standin

out, kiota_version, nswag_version = sys.argv[1], sys.argv[2], sys.argv[3]
KEY = "peers-dummy-key"

# What every app means to send; a member sent as null counts as not sent.
INTENDED = {"name": "staging", "promotion_settings": {"ramp_up_duration_seconds": 600},
            "chainlet_settings": [{"chainlet_name": "HelloWorld", "instance_type_id": "2x8",
                                   "autoscaling_settings": {"min_replica": 2, "max_replica": 3}}]}

def without_nulls(value):
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value

verdicts = []

class StandIn(standin.Handler):
    def do_POST(self):
        body = self.body()
        problem = None
        if self.path != standin.PATH:
            problem = "path " + self.path
        elif self.headers.get("Authorization") not in ("Api-Key " + KEY, "Bearer " + KEY):
            problem = "no key in Authorization"
        else:
            try:
                sent = without_nulls(json.loads(body, object_pairs_hook=self.no_duplicates))
                if sent != INTENDED:
                    problem = "body " + json.dumps(sent)[:200]
            except ValueError as error:
                problem = "body not JSON: %s" % error
        verdicts.append(problem)
        self.answer(problem is None, problem)

    @staticmethod
    def no_duplicates(pairs):
        names = [name for name, _ in pairs]
        if len(names) != len(set(names)):
            raise ValueError("a member sent twice")
        return dict(pairs)

base = standin.serve(StandIn)

def failure(done):
    """The innermost exception the app printed, without namespaces, or its exit code."""
    lines = done.stderr.decode(errors="replace").splitlines()
    causes = [line.split("---> ", 1)[1] for line in lines if "---> " in line]
    causes += [line.split("Unhandled exception. ", 1)[1] for line in lines if line.startswith("Unhandled exception. ")]
    cause = next((c for c in causes if "Exception" in c), "exit %d" % done.returncode)
    cause = re.sub(r"\b(?:[A-Z]\w*\.)+(?=[A-Z]\w*)", "", cause.split(" | LineNumber")[0])
    return cause[:170]


GENERATORS = {"baseten-aot": "Baseten.Aot", "kiota": "Kiota " + kiota_version, "nswag": "NSwag " + nswag_version}
rows = []
for line in open(os.path.join(out, "rows.tsv")):
    row, status, il, ids, warnings, size, binary, seconds = line.rstrip("\n").split("\t")
    generator = "baseten-aot" if row.startswith("baseten-aot-") else row.split("-")[0]
    doc = row[len(generator) + 1:].split("-")[0]
    scheme = "Api-Key" if doc == "seed" else "Bearer"
    files = glob.glob(os.path.join(out, "apps", row, "Generated", "**", "*.cs"), recursive=True)
    lines = sum(sum(1 for _ in open(f, encoding="utf-8")) for f in files)
    runs = "not published"
    if status == "ok":
        arguments = [binary, base, "abc123"] if generator == "baseten-aot" else [binary, base, "abc123", scheme]
        before = len(verdicts)
        try:
            done = subprocess.run(arguments, env=dict(os.environ, BASETEN_API_KEY=KEY), stdin=subprocess.DEVNULL,
                                  capture_output=True, timeout=120)
            with open(os.path.join(out, "logs", "run-%s.log" % row), "wb") as log:
                log.write(b"$ %s\nexit %d\n--- stdout\n%s\n--- stderr\n%s" % (" ".join(arguments).encode(), done.returncode, done.stdout, done.stderr))
            reached = len(verdicts) > before
            problem = verdicts[before] if reached else None
            if done.returncode == 0 and done.stdout.decode().strip() == "staging" and reached and problem is None:
                runs = "yes"
            elif problem is not None:
                runs = "no: request refused (%s)" % problem
            else:
                runs = ("no: request accepted, answer not read: " if reached else "no: nothing sent: ") + failure(done)
        except subprocess.TimeoutExpired:
            runs = "no: timed out"
    variant = " + STJ context by hand" if row.endswith("-context") else ""
    rows.append((GENERATORS[generator] + variant, doc, lines, status, il, ids, warnings, int(size), runs))

def grep(row, pattern, files="**/*.cs", limit=3, within=None):
    """The declarations matching pattern in a row's generated files (only in class `within`, if given)."""
    found = []
    for path in sorted(glob.glob(os.path.join(out, "apps", row, "Generated", files), recursive=True)):
        inside = within is None
        for text in open(path, encoding="utf-8"):
            if within is not None and re.search(r"\bclass \w+\b", text):
                inside = re.search(r"\bclass %s\b" % within, text) is not None
            if not inside:
                continue
            # Namespaces and initializers out; Kiota's #if twins (with and without `?`) once.
            text = re.sub(r"\s*= default!;", "", re.sub(r"global::(?:\w+\.)+", "", text.strip()))
            if re.search(pattern, text) and text.replace("?", "") not in [f.replace("?", "") for f in found]:
                found.append(text)
    return found[:limit]

shapes = [
    ("anyOf [integer, null]: UpdatePromotionSettingsV1.ramp_up_duration_seconds", [
        ("Baseten.Aot", "seed", grep("baseten-aot-seed", r"public .*\bRampUpDurationSeconds\b", "**/*.UpdatePromotionSettingsV1.g.cs")),
        ("Kiota", "seed", grep("kiota-seed", r"public .*(RampUpDurationSeconds \{|int\? Integer \{|class UpdatePromotionSettingsV1_ramp_up_duration_seconds\b)", "Models/UpdatePromotionSettingsV1*.cs", 4)),
        ("NSwag", "seed", grep("nswag-seed", r"public \w+\? Ramp_up_duration_seconds \{", within="UpdatePromotionSettingsV1")),
        ("Baseten.Aot", "live", grep("baseten-aot-live", r"public .*\bRampUpDurationSeconds\b", "**/*.UpdatePromotionSettingsV1.g.cs")),
        ("Kiota", "live", grep("kiota-live", r"public .*(RampUpDurationSeconds \{|int\? Integer \{|class UpdatePromotionSettingsV1_ramp_up_duration_seconds\b)", "Models/UpdatePromotionSettingsV1*.cs", 4)),
        ("NSwag", "live", grep("nswag-live", r"public \w+\? Ramp_up_duration_seconds \{", within="UpdatePromotionSettingsV1")),
    ]),
    ("discriminated union: AuditLogEntryV1.event_data (oneOf 43 schemas, discriminator event_type)", [
        ("Baseten.Aot", "live", grep("baseten-aot-live", r"public .*(\bEventData\b|class AuditLogEntryV1EventData\b|class Unknown\b|class AuditLogEventModelDeployedV1\b)", "**/*.AuditLog*V1*.g.cs", 4)),
        ("Kiota", "live", grep("kiota-live", r"public .*(EventData \{|class AuditLogEntryV1_event_data\b|AuditLogEventModelDeployedV1\? AuditLogEventModelDeployedV1 \{)", "Models/AuditLogEntryV1.cs", 4)),
        ("NSwag", "live", grep("nswag-live", r"public \S+ Event_data \{")),
    ]),
]

report = []
report.append("Run %s UTC; .NET SDK %s; %s; NSwag %s (System.Text.Json); one call, `dotnet publish -c Release -r linux-x64` with PublishAot."
              % (open(os.path.join(out, "date")).read().strip(),
                 subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip(),
                 GENERATORS["kiota"], nswag_version))
report.append("")
report.append("| Generator | Document | Generated C# (lines) | Trim/AOT warnings (IL2xxx/IL3xxx) | All warnings | Native binary (bytes) | Runs (request right, answer read) |")
report.append("| --- | --- | ---: | ---: | ---: | ---: | --- |")
for generator, doc, lines, status, il, ids, warnings, size, runs in rows:
    if status != "ok":
        report.append("| %s | %s | %s | | | publish failed | |" % (generator, doc, format(lines, ",")))
        continue
    il_text = il if il == "0" else "%s (%s)" % (il, ids.replace(",", ", "))
    report.append("| %s | %s | %s | %s | %s | %s | %s |" % (generator, doc, format(lines, ","), il_text, warnings, format(size, ","), runs.replace("|", "/")))
for title, entries in shapes:
    report.append("")
    report.append("What each emits for " + title + ":")
    report.append("")
    report.append("```")
    for generator, doc, found in entries:
        report.append("// %s, %s document" % (generator, doc))
        report.extend(found or ["(nothing found)"])
    report.append("```")
text = "\n".join(report) + "\n"
open(os.path.join(out, "results.md"), "w").write(text)
print()
print(text)
PY
