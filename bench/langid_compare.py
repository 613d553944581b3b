"""Our compact language model against py3langid's own: answers, CPU per call, memory.

    python -m bench.langid_compare [--jobs 2] [--corpus scrapinghub,wcxb] [--rounds 5]

Every page of the development corpora (both parts: only languages are compared, no page
is looked at) is extracted as the crawl does, recording what ``page_language`` was given
(the stated language and the text). Every recorded call is then answered again with
py3langid's own identifier (``LanguageIdentifier.from_model_file``) and with ours
(pipelines/extraction/language_model.py), and the differences are counted: the page's
language, and, on every distinct text sample, the classify answer and its probability.
The CPU of a classify call is timed on those samples, both identifiers in alternation,
``--rounds`` times (median of the rounds' means). The memory each one adds to a fresh
process that loads it (RSS and its peak) is measured in subprocesses.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from bench import corpora
from bench.corpora import Page

Call = tuple[str | None, str]

LOAD_SCRIPT = """
import sys
def rss():
    fields = dict(line.split(':', 1) for line in open('/proc/self/status'))
    return int(fields['VmRSS'].split()[0]) // 1024, int(fields['VmHWM'].split()[0]) // 1024
import numpy, py3langid.langid, pipelines.extraction.language_model as ours
before = rss()
if sys.argv[1] == 'py3langid':
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
else:
    ident = ours.load_identifier()
ident.classify('Городской совет во вторник проголосовал за реконструкцию моста.')
after = rss()
print(after[0] - before[0], after[1] - before[0])
"""


def page_calls(page: Page) -> tuple[str, list[Call]]:
    """The page's language as extracted, and the calls of ``page_language`` it made."""
    from pipelines.extraction import core

    calls: list[Call] = []
    shipped = core.page_language

    def recording(stated: str | None, text: str) -> str | None:
        calls.append((stated, text))
        return shipped(stated, text)

    core.page_language = recording
    try:
        extracted = core.extract_article(page.html(), page.url)
    finally:
        core.page_language = shipped
    return str(extracted.language), calls


def answers(identifier: Any, calls: list[Call]) -> list[str | None]:
    """``page_language`` on every call, with ``identifier`` in place of the shipped one."""
    from pipelines.extraction import language

    shipped = language._identifier
    language._identifier = lambda: identifier  # type: ignore[assignment]
    try:
        return [language.page_language(stated, text) for stated, text in calls]
    finally:
        language._identifier = shipped


def cpu_per_call(classify: Callable[[str], Any], samples: list[str]) -> float:
    started = time.process_time()
    for sample in samples:
        classify(sample)
    return (time.process_time() - started) / len(samples) * 1000


def load_cost(which: str) -> tuple[int, int]:
    out = subprocess.run(
        [sys.executable, "-c", LOAD_SCRIPT, which],
        capture_output=True,
        text=True,
        check=True,
        cwd=corpora.ROOT,
    ).stdout.split()
    return int(out[0]), int(out[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--corpus", default="scrapinghub,wcxb")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from pipelines.extraction.language import SAMPLE_CHARS
    from pipelines.extraction.language_model import load_identifier

    names = [name for name in args.corpus.split(",") if corpora.available(name)]
    pages = corpora.load(names)
    with multiprocessing.Pool(args.jobs) as pool:
        results = pool.map(page_calls, pages, chunksize=8)
    calls = [call for _, page in results for call in page]
    reference = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    compact = load_identifier()

    theirs, ours = answers(reference, calls), answers(compact, calls)
    # a page's extraction is otherwise deterministic: if none of its calls is answered
    # differently, its language field is the same with either model
    differing_pages, position = 0, 0
    for _, page in results:
        end = position + len(page)
        differing_pages += theirs[position:end] != ours[position:end]
        position = end
    samples = sorted({text[:SAMPLE_CHARS] for _, text in calls})
    codes = probabilities = 0
    for sample in samples:
        (code, probability), (expected, expected_probability) = (
            compact.classify(sample),
            reference.classify(sample),
        )
        codes += code != expected
        probabilities += abs(probability - expected_probability) > 1e-6
    timings: dict[str, list[float]] = {"py3langid": [], "ours": []}
    for _ in range(args.rounds):
        timings["py3langid"].append(cpu_per_call(reference.classify, samples))
        timings["ours"].append(cpu_per_call(compact.classify, samples))

    print(f"corpora: {', '.join(names)}; {len(pages):,} pages, {len(calls):,} page_language calls")
    print(
        f"page_language answers differing: {sum(a != b for a, b in zip(theirs, ours, strict=True))}"
        f" of {len(calls):,}; pages with any answer differing: {differing_pages}"
    )
    print(
        f"classify on {len(samples):,} distinct samples: language differing {codes}, "
        f"probability differing by over 1e-6 {probabilities}"
    )
    for name, values in timings.items():
        rounds = ", ".join(f"{value:.2f}" for value in values)
        print(f"CPU ms per classify, {name}: median {statistics.median(values):.2f} ({rounds})")
    for name in ("py3langid", "ours"):
        rss, peak = load_cost(name)
        print(f"memory a process gains loading the model, {name}: RSS +{rss} MiB, peak +{peak} MiB")


if __name__ == "__main__":
    main()
