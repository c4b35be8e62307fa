from chat.support import normalise
from evals.matching import holds_quote, quote_overlap, words_on_page


def test_normalise_drops_markdown_escapes_hyphen_breaks_and_thousands_commas():
    assert normalise("**\\\\$276 Billion** con- tinue two-year 29,168") == ["276", "billion", "continue", "twoyear", "29168"]


def test_quote_cut_by_a_chunk_boundary_still_matches_when_most_of_it_is_there():
    quote = "In FY 2017, apprehensions of Mexican unauthorized immigrants declined 31.22% from FY 2015."
    assert holds_quote(quote, "Border data. In FY 2017, apprehensions of Mexican unauthorized immigrants declined")
    assert not holds_quote(quote, "Apprehensions of Central Americans rose in 2019.")


def test_passage_wholly_inside_a_long_quote_matches():
    quote = " ".join(f"word{i}" for i in range(60))
    passage = " ".join(f"word{i}" for i in range(20, 35))
    assert quote_overlap(quote, passage) == 1.0


def test_words_on_page_allow_a_footer_between_pages_but_nothing_else():
    pages = "the deal was signed in\nCharting a New Course 22\nMexico City last year."
    assert words_on_page("the deal was signed in Mexico City last year.", pages)
    assert not words_on_page("the deal was signed in Washington last year.", pages)
    assert not words_on_page("the deal was never signed", pages)


def test_words_on_page_survive_a_word_hyphenated_across_the_page_break():
    pages = "how do we facilitate legal migration and cross-\nFootnote 3. Convocation 13\nborder movement?"
    assert words_on_page("how do we facilitate legal migration and cross-border movement?", pages)
    assert not words_on_page("how do we facilitate illegal migration and cross-border movement?", pages)


def test_words_on_page_find_the_break_even_when_the_quote_start_repeats_elsewhere():
    pages = ("The United States and Mexico should task their consulates. The\nReport 51\n"
             "United States and Mexico should reach out to border stakeholders.")
    assert words_on_page("The United States and Mexico should reach out to border stakeholders.", pages)
