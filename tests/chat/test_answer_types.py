"""What kind of figure a question asks for, and what gives one."""

from chat.answer_types import ANY_NUMBER, MONEY_AMOUNT, MONEY_ASKED, subject, wanted_figure


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


def test_the_figure_wanted_depends_on_the_question():
    assert wanted_figure("How much did the wall cost?") is MONEY_AMOUNT
    assert wanted_figure("At what cost did Mexico deploy the Guard?") is MONEY_AMOUNT
    assert wanted_figure("How many troops were sent?") is ANY_NUMBER
    assert wanted_figure("What share of Mexicans approve?") is ANY_NUMBER
    assert wanted_figure("What does COMEXI propose on energy?") is None


def test_the_subject_of_a_question_leaves_out_what_kind_of_figure_it_asks_for():
    assert subject("How much did Mexico spend on the refinery?").split() == ["did", "Mexico", "on", "the", "refinery?"]
    assert subject("At what cost did Mexico deploy the Guard?").split() == ["did", "Mexico", "deploy", "the", "Guard?"]
