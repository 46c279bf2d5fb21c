"""Readers: the seed pages exactly, and small real-shaped samples of every other format."""

from __future__ import annotations

import gzip
import json
import logging
import shutil

import pytest
from conftest import CORPUS, DATA, SEEDS

from kg.errors import BadRecordError, InputError
from kg.read import detect_format, iter_file, read_all, read_file, read_papers
from kg.read.clean import clean_line, clean_text
from kg.read.pages import FURNITURE

# papers per page, counted by hand from the page layouts (title + abstract [+ footer] blocks)
PAGE_COUNTS = {
    "000_3b62b11be6b43230.txt": 21,
    "001_f11e53b60b2f4dde.txt": 63,
    "002_6fba22f113ada98a.txt": 28,
    "003_80e88f83bfb7e703.txt": 286,
    "004_6cb19fe61475b691.txt": 51,
}


@pytest.mark.parametrize("name,count", sorted(PAGE_COUNTS.items()))
def test_each_seed_page_yields_exactly_its_papers(name, count):
    papers = list(iter_file(SEEDS / name))
    assert len(papers) == count
    for p in papers:
        assert p.title and p.abstract
        assert p.title not in FURNITURE and not p.title.startswith("Subscribe")
        assert len(p.title) < len(p.abstract)  # never swapped
        assert "authors" not in p.abstract.split()[-2:]  # no footer glued to an abstract
        assert p.sources == (str(SEEDS / name),)


def test_block_pages_keep_their_footer_facts():
    papers = {p.title: p for p in iter_file(SEEDS / "000_3b62b11be6b43230.txt")}
    p = papers["Generating Images with Multimodal Language Models"]
    assert (p.n_authors, p.date, p.upvotes) == (3, "2023-05-26", 2)
    youku = next(t for t in papers if t.startswith("Youku-mPLUG"))
    assert (papers[youku].n_authors, papers[youku].date, papers[youku].upvotes) == (16, "2023-06-07", None)


def test_organisation_line_and_date_without_a_year():
    papers = {p.title: p for p in iter_file(SEEDS / "001_f11e53b60b2f4dde.txt")}
    p = papers["Fast-dLLM v2: Efficient Block-Diffusion LLM"]
    assert p.organization == "NVIDIA"
    assert p.n_authors is None
    assert p.date == "--09-30" and p.year is None  # "Sep 30": no invented year
    assert p.upvotes == 7
    assert p.abstract.startswith("Autoregressive (AR) large language models")
    assert "NVIDIA" not in p.abstract


def test_compact_page_first_title_is_unglued_from_subscribe():
    papers = list(iter_file(SEEDS / "003_80e88f83bfb7e703.txt"))
    assert papers[0].title == "A deep Natural Language Inference predictor without language-specific training data"
    assert papers[0].abstract.startswith("In this paper we present a technique of NLP")
    assert papers[-1].title == "CLIP Under the Microscope: A Fine-Grained Analysis of Multi-Object Representation"
    assert all(p.n_authors is None and p.date is None for p in papers)


def test_a_paper_on_several_pages_is_one_paper_with_every_source(seed_papers):
    total = sum(PAGE_COUNTS.values())
    assert len(seed_papers) < total
    titles = [p.title for p in seed_papers]
    assert len(titles) == len(set(titles))
    p = next(p for p in seed_papers if p.title == "Generating Images with Multimodal Language Models")
    assert [s.rsplit("/", 1)[-1] for s in p.sources] == [
        "000_3b62b11be6b43230.txt",
        "001_f11e53b60b2f4dde.txt",
        "004_6cb19fe61475b691.txt",
    ]
    assert p.date == "2023-05-26"  # the footer facts survive the merge with a footer-less page
    # every paper of every page is still there
    assert sum(len(p.sources) for p in seed_papers) == total


def test_arxiv_snapshot_jsonl():
    papers = read_file(DATA / "arxiv_snapshot.jsonl")
    assert [p.id for p in papers] == ["arxiv:1706.03762", "arxiv:2106.09685"]
    lora = papers[1]
    assert lora.title == "LoRA: Low-Rank Adaptation of Large Language Models"  # the hard wrap undone
    assert lora.authors[:2] == ("Edward J. Hu", "Yelong Shen") and len(lora.authors) == 8
    assert lora.categories == ("cs.CL", "cs.AI", "cs.LG")
    # the first version's date (v1, "Thu, 17 Jun 2021"), not update_date (2021-10-19)
    assert lora.date == "2021-06-17" and lora.doi == "10.48550/arxiv.2106.09685"
    assert papers[0].date == "2017-06-12"
    assert lora.abstract.startswith(
        "We propose Low-Rank Adaptation, or LoRA, which freezes the pre-trained model weights and"
    )
    assert "\n" not in lora.abstract and "  " not in lora.abstract


def test_arxiv_snapshot_latex_and_line_wrapping_become_text():
    """Defects 6 and 7: real arXiv abstracts (LaTeX, hard-wrapped as in the Kaggle snapshot)."""
    scaling, frechet, maths = read_file(DATA / "arxiv_snapshot_latex.jsonl")
    assert scaling.title == "A Scaling Law for Token Efficiency in LLM Fine-Tuning Under Fixed Compute Budgets"
    assert "what we term dataset volume -- play" in scaling.abstract  # \emph{dataset\nvolume}
    assert "Experiments on the BRICC dataset and subsets of the MMLU dataset, evaluated" in scaling.abstract
    assert frechet.title.startswith("Fréchet Power-Scenario Distance")
    assert "based on the Fréchet Distance (FD)" in frechet.abstract
    assert maths.title == "Can LLMs understand Math? -- Exploring the Pitfalls in Mathematical Reasoning"
    for p in (scaling, frechet, maths):
        assert not any(c in p.title + p.abstract for c in "\\$\n{}"), p
    assert [p.date for p in (scaling, frechet, maths)] == ["2025-05-12", "2025-05-12", "2025-05-21"]


def test_arxiv_corpus_records_gzip():
    path = CORPUS / "arxiv_cs_00.jsonl.gz"
    if not path.exists():
        pytest.skip("corpus not available")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        first = [json.loads(next(f)) for _ in range(3)]
    papers = []
    for p in iter_file(path):
        papers.append(p)
        if len(papers) == 3:
            break
    for rec, p in zip(first, papers, strict=True):
        assert p.id == f"arxiv:{rec['arxiv_id']}"
        assert p.title == clean_line(rec["title"]) and p.abstract == clean_text(rec["abstract"])
        assert list(p.authors) == rec["authors"] and list(p.categories) == rec["categories"]
        assert p.date == rec["first_seen"]


def test_hugging_face_daily_papers_api():
    papers = read_file(DATA / "hf_daily_papers.json")
    qwen, gpt4 = papers
    assert qwen.id == "arxiv:2412.15115" and qwen.title == "Qwen2.5 Technical Report"
    assert qwen.abstract.startswith("In this report, we introduce Qwen2.5")
    assert qwen.authors == ("An Yang", "Baosong Yang")  # hidden author left out
    assert (qwen.date, qwen.upvotes, qwen.organization) == ("2024-12-19", 312, "Qwen")
    assert gpt4.id == "arxiv:2303.08774"  # version suffix dropped


def test_semantic_scholar_response():
    bert, other = read_file(DATA / "semantic_scholar.json")
    assert bert.id == "arxiv:1810.04805" and bert.doi == "10.18653/v1/n19-1423"
    assert bert.date == "2019-06-01" and bert.authors == ("Jacob Devlin", "Ming-Wei Chang")
    assert other.id == "s2:0b7a2d3a1f0a2c1e7c5c9f8b6a5d4e3f2a1b0c9d" and other.abstract == ""


def test_openalex_inverted_index():
    bert, resnet = read_file(DATA / "openalex.json")
    assert bert.abstract == "We introduce a new language representation model called BERT."
    assert bert.id == "doi:10.48550/arxiv.1810.04805"
    assert resnet.id == "openalex:W3000000001" and resnet.date == "2016-06-01"


def test_csv_with_quoted_newlines_and_tsv():
    lora, tricky = read_file(DATA / "papers.csv")
    assert (
        lora.abstract
        == "We propose Low-Rank Adaptation, or LoRA. It freezes the pre-trained weights and evaluates on GLUE."
    )
    assert lora.id == "arxiv:2106.09685" and lora.authors == ("Edward J. Hu", "Yelong Shen") and lora.date == "2021"
    assert tricky.title == 'Quoted, "tricky" title' and tricky.id == "doi:10.1000/xyz.1"
    tsv = read_file(DATA / "papers.tsv")
    assert [p.title for p in tsv] == ["Deep Residual Learning for Image Recognition", "Mask R-CNN"]
    assert tsv[1].date == "2017-03-20"


def test_bibtex_zotero_export(caplog):
    with caplog.at_level(logging.WARNING):
        papers = read_file(DATA / "zotero.bib")
    attn, bert = papers
    assert attn.id == "arxiv:1706.03762" and attn.date == "2017-06"
    assert attn.abstract.startswith(
        "The dominant sequence transduction models are based on complex recurrent or convolutional"
    )
    assert "{" not in attn.abstract and "Transformer" in attn.abstract
    assert bert.title == "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    assert (
        bert.abstract
        == "We introduce BERT; it improves the GLUE score to 80.5% with α-scaled masked language modeling."
    )
    assert bert.authors == ("Devlin, Jacob", "Chang, Ming-Wei") and bert.id == "doi:10.18653/v1/n19-1423"
    assert "zotero.bib: line 25: entry 'notitle2020' has no title; skipped" in caplog.text


def test_bibtex_values_nest_concatenate_and_break_alone(tmp_path, caplog):
    bib = tmp_path / "refs.bib"
    bib.write_text(
        '@string{conf = "NeurIPS"}\n'
        '@article{a, title = "The {BERT} model {with "quotes" inside}", abstract = {Nested {braces {deep}} ok},\n'
        '  note = conf # " 2020"}\n'
        '@article{b, title = {Broken, abstract = "x"\n'
        '@article{c, title = "Unterminated {x, abstract = {y}}\n'
        '@article{d, title = {Fine}, abstract = "ok"}\n',
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING):
        papers = read_file(bib)
    assert [(p.title, p.abstract) for p in papers] == [
        ('The BERT model with "quotes" inside', "Nested braces deep ok"),
        ("Fine", "ok"),
    ]
    assert "refs.bib: line 4: broken @article entry (unbalanced braces" in caplog.text
    assert "refs.bib: line 5: broken @article entry (unterminated quoted value" in caplog.text


def test_bibtex_comments_preamble_crossref_and_duplicates(caplog):
    """Defect 4 (a commented-out entry read as a paper) and defect 8 (duplicates merged silently)."""
    with caplog.at_level(logging.WARNING):
        report = read_all(DATA / "awesome.bib")
    titles = [p.title for p in report.papers]
    assert titles == [
        "Attention Is All You Need",
        "Über-BERT: Fine-Tuning in O(n^2) Time",
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
    ]
    assert not any("Fake" in t or "Percent" in t or "Proceedings" in t for t in titles)
    attn, uber, bert = report.papers
    assert (report.records, report.merged) == (4, 1)
    assert report.duplicates == [
        {
            "id": "arxiv:1706.03762",
            "title": "Attention Is All You Need",
            "records": [
                f"{DATA / 'awesome.bib'}: line 10 (vaswani2017attention)",
                f"{DATA / 'awesome.bib'}: line 22 (NIPS2017_3f5ee243)",
            ],
        }
    ]
    assert attn.abstract.endswith("based solely on attention mechanisms.")  # \cite{...} dropped
    assert uber.authors == ("Müller, Jörg", "García, José", "Novák, Jiří")
    assert uber.abstract == (
        "We fine-tune BERT with über-attention on GLUE, reaching 80.5% in O(n^2) time; it costs 5% more memory."
    )
    assert uber.date == "2021-12"  # year and month from the proceedings it crossrefs
    assert bert.id == "arxiv:1810.04805" and bert.abstract == ""
    assert "broken" not in caplog.text  # the @comment is not an entry, broken or not


def test_bibtex_percent_lines_are_comments(tmp_path):
    bib = tmp_path / "list.bib"
    bib.write_text(
        "% @article{old, title = {Old Entry}}\n  %@misc{older, title={Older}}\n"
        "@article{new, title = {New Entry}, abstract = {Improves 5% on {GLUE}}}\n",
        encoding="utf-8",
    )
    assert [(p.title, p.abstract) for p in read_file(bib)] == [("New Entry", "Improves 5% on GLUE")]


def test_a_broken_comment_or_quote_does_not_swallow_the_records_after_it(tmp_path, caplog):
    """Found by bench/fuzz_read.py: one unclosed quote or @comment used to take every later record with it."""
    bib = tmp_path / "refs.bib"
    text = (DATA / "zotero.bib").read_text()
    bib.write_text(text.replace("@inproceedings{", "@inproceedi@comment{ngs{"), encoding="utf-8")
    csv_ = tmp_path / "papers.csv"
    rows = (DATA / "openreview_neurips2022.csv").read_text().splitlines()
    rows[1] = rows[1].replace('</p>",', "</p>,")  # the abstract's closing quote lost
    csv_.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        bib_papers, csv_papers = read_file(bib), read_file(csv_)
    assert [p.title for p in bib_papers] == [
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    ]
    assert "refs.bib: line 3: @comment is never closed" in caplog.text
    assert [p.title for p in csv_papers] == [
        "HTMLNet: Markup-Aware Detection on MS COCO",
        "FastAttn: Exact Attention in O(n^2) Time With Less Memory",
    ]
    assert "papers.csv: line 2: a quoted field is not closed on its row" in caplog.text
    # a row cut short inside its quoted title: the next row's quote closes it, yet that row is kept
    rows = (DATA / "openreview_neurips2022.csv").read_text().splitlines()
    rows[2] = rows[2][:40]
    csv_.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert [p.title for p in read_file(csv_)] == [
        "Flamingo: a Visual Language Model for Few-Shot Learning",
        "FastAttn: Exact Attention in O(n^2) Time With Less Memory",
    ]


def test_damage_found_by_the_fuzzer_costs_one_record_only(tmp_path, caplog):
    """bench/fuzz_read.py: gzip's magic bytes, a UTF-16 mark or a stray NUL at the start of a text file."""
    good = (DATA / "arxiv_snapshot.jsonl").read_bytes()
    magic, nul, bom = tmp_path / "magic.jsonl", tmp_path / "nul.jsonl", tmp_path / "bom.jsonl"
    magic.write_bytes(b"\x1f\x8b" + good)
    nul.write_bytes(b"\x00" + good)
    bom.write_bytes(b"\xff\xfe" + good)
    with caplog.at_level(logging.WARNING):
        assert [p.id for p in read_file(magic)] == ["arxiv:2106.09685"]
        assert [p.id for p in read_file(nul)] == ["arxiv:2106.09685"]
        assert [p.id for p in read_file(bom)] == ["arxiv:1706.03762", "arxiv:2106.09685"]
    assert "magic.jsonl: starts like gzip data but is not; read as text" in caplog.text
    assert "bom.jsonl: starts with a UTF-16 byte-order mark but is UTF-8 text" in caplog.text
    assert "nul.jsonl: line 1: not valid JSON" in caplog.text


def test_openreview_csv_markup_becomes_text():
    """Defect 6: HTML tags and entities from an OpenReview (NeurIPS 2022) export."""
    flamingo, htmlnet, fastattn = read_file(DATA / "openreview_neurips2022.csv")
    assert flamingo.abstract == (
        "Building models that can be rapidly adapted to novel tasks using only a handful of annotated examples is an "
        "open challenge for multimodal machine learning research. We introduce Flamingo, a family of Visual Language "
        "Models (VLM) with this ability.\n\nWe evaluate on COCO & VQAv2 — and report state-of-the-art few-shot results."
    )
    assert htmlnet.title == "HTMLNet: Markup-Aware Detection on MS COCO"
    assert htmlnet.authors == ("René Dupont", "José García")
    # only real markup goes: a prompt tag and a comparison in the text stay as written
    assert htmlnet.abstract == (
        "We train HTMLNet on MS COCO and evaluate on Pascal VOC; prompts such as <think> "
        "stay as written, and x < y too."
    )
    assert fastattn.title == "FastAttn: Exact Attention in O(n^2) Time With Less Memory"
    assert fastattn.abstract == (
        "Transformers are slow on long sequences. We propose FastAttn, evaluated on Long "
        "Range Arena (LRA) with 2.4× speedup and 15% less memory, at a cost of $100 per run."
    )


def test_json_fields_of_other_shapes_keep_the_paper(caplog):
    """Defect 5: an abstract (or title) given as an object or a list of paragraphs."""
    with caplog.at_level(logging.WARNING):
        lora, bert, resnet, attn = read_file(DATA / "abstract_shapes.jsonl")
    assert lora.abstract == "We propose Low-Rank Adaptation, or LoRA, which freezes the pre-trained model weights."
    assert bert.abstract == (
        "We introduce a new language representation model called BERT.\n\n"
        "BERT obtains new state-of-the-art results on eleven natural language processing tasks."
    )
    assert resnet.title == "Deep Residual Learning for Image Recognition" and resnet.abstract == ""
    assert attn.title == "Attention Is All You Need" and attn.authors == ("Ashish Vaswani", "Noam Shazeer")
    assert "abstract_shapes.jsonl: line 1: abstract is a JSON object; read the text inside it" in caplog.text
    assert "abstract_shapes.jsonl: line 3: abstract is a JSON object with no text in it; read as empty" in caplog.text
    with pytest.raises(BadRecordError, match="line 1: abstract is a JSON object; stopped"):
        read_file(DATA / "abstract_shapes.jsonl", strict=True)


def test_mention_offsets_index_the_cleaned_text(nlp):
    """The contract: offsets index Paper.title / Paper.abstract as stored, after cleaning."""
    from kg.extract import extract

    papers = read_papers(
        [DATA / "openreview_neurips2022.csv", DATA / "awesome.bib", DATA / "arxiv_snapshot_latex.jsonl"]
    )
    corpus = extract(papers)
    names = set()
    for x in corpus.extractions:
        for m in x.mentions:
            assert x.paper.text(m.field)[m.start : m.end] == m.text
            names.add(m.text)
    assert {"HTMLNet", "COCO", "Flamingo", "FastAttn", "Über-BERT"} <= names
    assert not [n for n in names if any(c in n for c in "<>\\$\n&;")]


@pytest.mark.parametrize("name", ["arxiv_snapshot.jsonl", "hf_daily_papers.json", "papers.csv", "zotero.bib"])
def test_gzip_compressed_inputs_read_the_same(tmp_path, name):
    gz = tmp_path / (name + ".gz")
    gz.write_bytes(gzip.compress((DATA / name).read_bytes()))
    assert read_file(gz) == [p.__class__(**{**p.__dict__, "sources": (str(gz),)}) for p in read_file(DATA / name)]


def test_format_detection_by_content_and_override(tmp_path):
    odd = tmp_path / "listing.dat"
    shutil.copy(DATA / "arxiv_snapshot.jsonl", odd)
    assert len(read_file(odd)) == 2
    assert detect_format("x.txt", (SEEDS / "000_3b62b11be6b43230.txt").read_text()) == "pages"
    forced = tmp_path / "papers.txt"
    shutil.copy(DATA / "papers.csv", forced)
    assert len(read_file(forced, format="csv")) == 2


def test_broken_jsonl_lines_are_reported_and_good_ones_kept(tmp_path, caplog):
    good = (DATA / "arxiv_snapshot.jsonl").read_text().splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_text(good[0] + "\n{not json\n" + good[1] + "\n" + good[0][:40] + "\n")
    with caplog.at_level(logging.WARNING):
        papers = read_file(bad)
    assert len(papers) == 2
    assert f"{bad}: line 2: not valid JSON" in caplog.text
    assert f"{bad}: line 4: not valid JSON" in caplog.text
    with pytest.raises(BadRecordError, match="line 2: not valid JSON .*; stopped here") as err:
        read_file(bad, strict=True)
    assert "skipped" not in str(err.value)


def test_unreadable_files_raise_input_errors_naming_the_file(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(InputError, match="empty.jsonl: file is empty"):
        read_file(empty)
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(InputError, match="binary"):
        read_file(binary)
    unknown = tmp_path / "notes.xyz"
    unknown.write_text("just some words\nand more words\n")
    with pytest.raises(InputError, match="unknown format"):
        read_file(unknown)
    with pytest.raises(InputError, match="no file matches"):
        read_papers(str(tmp_path / "*.nothing"))


def test_several_files_skip_the_unreadable_one(tmp_path, caplog):
    (tmp_path / "empty.json").write_text("")
    shutil.copy(DATA / "papers.tsv", tmp_path / "papers.tsv")
    with caplog.at_level(logging.WARNING):
        papers = read_papers(tmp_path)
    assert len(papers) == 2
    assert "empty.json: file is empty" in caplog.text
