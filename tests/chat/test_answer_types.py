"""What kind of answer a question asks for, and what gives one."""

from chat.answer_types import ANSWER_PATTERNS, MONEY_AMOUNT, MONEY_ASKED, money_word_in_english, subject, wanted_answer


def test_questions_about_money_are_told_from_other_how_much_questions():
    for question in ["How much did the wall cost?", "At what cost did Mexico deploy the Guard?",
                     "How much U.S. aid went to Mexico?", "How much is bilateral trade worth?",
                     "What did the Mérida Initiative cost?", "How much does Mexico spend on security?"]:
        assert MONEY_ASKED.search(question), question
    for question in ["How much water does Mexico owe?", "How much did trade grow?", "How many troops were sent?"]:
        assert not MONEY_ASKED.search(question), question


def test_an_amount_of_money_is_a_figure_with_its_currency():
    for text in ["Costs to consumers: $7.5 billion a year", "a US$9 billion loss", "USD$2.3 billion", "2.3 billion USD",
                 "One billion pesos were allocated", "1,000 million pesos", "over 500 billion dollars a year"]:
        assert MONEY_AMOUNT.search(text), text
    for text in ["billions of dollars in costs to businesses", "the 2000-mile wall", "66 percent of the deficit"]:
        assert not MONEY_AMOUNT.search(text), text


def test_the_answer_wanted_depends_on_the_question():
    assert wanted_answer("How much did the wall cost?") == "amount"
    assert wanted_answer("At what cost did Mexico deploy the Guard?") == "amount"
    assert wanted_answer("How many troops were sent?") == "count"
    assert wanted_answer("What share of Mexicans approve?") == "percent"
    assert wanted_answer("When did the border reopen?") == "date"
    assert wanted_answer("In what year was NAFTA signed?") == "date"
    assert wanted_answer("How large is the deficit?") == "number"
    assert wanted_answer("U.S. aid over time: what amounts do the reports cite?") == "number"
    assert wanted_answer("The reports' estimates differ - what numbers do they give?") == "number"
    assert wanted_answer("Who leads the Mexico Institute?") == "person"
    assert wanted_answer("Who wrote the trade chapter?") is None  # a byline answers it
    assert wanted_answer("What does COMEXI propose on energy?") is None


def test_each_kind_of_answer_has_its_own_pattern():
    assert ANSWER_PATTERNS["percent"].search("66 percent of the deficit")
    assert ANSWER_PATTERNS["percent"].search("a share of 31.22%")
    assert not ANSWER_PATTERNS["percent"].search("in 2018 the vote was held")
    assert ANSWER_PATTERNS["count"].search("35 million citizens")
    assert not ANSWER_PATTERNS["count"].search("in 2018, the year of the vote")
    assert ANSWER_PATTERNS["date"].search("signed in December 1992")


def test_the_subject_of_a_question_leaves_out_what_kind_of_figure_it_asks_for():
    assert subject("How much did Mexico spend on the refinery?").split() == ["did", "Mexico", "on", "the", "refinery?"]
    assert subject("At what cost did Mexico deploy the Guard?").split() == ["did", "Mexico", "deploy", "the", "Guard?"]


def test_a_money_figure_or_a_rate_named_by_its_noun_is_asked_for():
    for question in ["What is the estimated cost of the new bridge?", "What was the U.S. trade deficit in 2016?",
                     "What is the annual budget of the agency?", "What was the trade surplus with Canada?"]:
        assert wanted_answer(question) == "amount", question
    for question in ["What was the president's approval rating in 2019?", "What is the unemployment rate among migrants?",
                     "What were the unemployment rates?"]:
        assert wanted_answer(question) == "percent", question
    # The noun is what is asked for only where it ends the question's head.
    for question in ["What is the role of the budget committee?", "What is the investment climate in Mexico?",
                     "What are the spending priorities of the plan?", "What is the budget committee's role?",
                     "What is driving the cost increase?", "What was the homicide rate in Tijuana?",
                     "What was the exchange rate in 2016?", "What is Pemex's credit rating?"]:
        assert wanted_answer(question) not in ("amount", "percent"), question


def test_the_same_kinds_are_read_in_spanish():
    for question in ["¿Cuál es el costo estimado de la refinería?", "¿Cuál fue el déficit comercial de EE.UU. en 2020?",
                     "¿Cuál es el presupuesto anual de la COMAR?"]:
        assert wanted_answer(question) == "amount", question
    for question in ["¿Cuál era el índice de aprobación del presidente en 2020?", "¿Cuál es la tasa de desempleo?"]:
        assert wanted_answer(question) == "percent", question
    assert wanted_answer("¿Qué costo tuvo el muro?") == "amount"
    # "cuánto" and "cuánta" with the Spanish for each English money word ("aid", "worth", "price"...)
    for question in ["¿Cuánta ayuda de EE.UU. recibió México?", "¿Cuánto vale el comercio bilateral?",
                     "¿Cuánto subieron los precios de la gasolina?", "¿Cuánta financiación autoriza la ley?",
                     "¿Cuánto ha asignado el Congreso a la asistencia técnica?"]:
        assert wanted_answer(question) == "amount", question
    for question in ["¿Cuánta agua debe México?", "¿Cuánto creció el comercio?", "¿Cuánta gente vive en la costa?"]:
        assert wanted_answer(question) != "amount", question
    assert wanted_answer("¿Cuánto pagaba México?") == "amount"


def test_a_spanish_money_word_has_its_english_and_other_words_none():
    assert [money_word_in_english(w) for w in ["cuesta", "costó", "gastó", "pagaba", "fondos", "valen"]] == [
        "cost", "cost", "spending", "paid", "funds", "worth"]
    for word in ["cuestión", "costa", "costumbres", "gastronomía", "asignatura", "fondo", "financiero", "página"]:
        assert money_word_in_english(word) is None, word
    assert wanted_answer("¿Qué tan grande es el déficit con China?") in ("amount", "number")
    assert wanted_answer("¿Qué tan grandes son las remesas?") == "number"
    for question in ["¿Cuál es el papel del presupuesto en la política?", "¿Cuál es la tasa de homicidios en Tijuana?",
                     "¿Cuál es la tasa de delitos en Tijuana?", "¿Por qué es tan alto el costo de la refinería?",
                     "¿Cuál fue el proceso de aprobación del T-MEC?", "¿Cuál fue el impacto en precios?"]:
        assert wanted_answer(question) not in ("amount", "percent"), question
