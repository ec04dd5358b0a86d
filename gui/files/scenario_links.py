"""A link to the experiment (Ctrl+Shift+C, Ctrl+Shift+V): the experiment as it stands as one
line of text on the clipboard, for a slide or a chat, and a pasted one opened again. The link
itself is the engine's (engine/scenario_link.py); here are the clipboard and the sentences, in
the user's language."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from engine import Scenario, ScenarioError, scenario_from_link, scenario_to_link
from gui.files.feedback import Feedback
from gui.i18n import tr


def _failure(error: ScenarioError) -> str:
    if error.reason == "not_link":
        return tr(
            "Could not open a link: the clipboard holds no link to a Batch Size Lab experiment "
            "(one starts with batchsizelab:)."
        )
    if error.reason == "damaged":
        return tr(
            "Could not open the link: it is damaged (cut short, or changed as it was copied). "
            "Copy the whole link again."
        )
    if error.reason == "too_large":
        return tr("Could not open the link: it unpacks to far more than any experiment holds.")
    if error.reason == "newer":
        return tr(
            "Could not open the link: it was made by a newer version of Batch Size Lab. "
            "Update the app to open it."
        )
    return tr("Could not open the link: it holds an experiment this app cannot run ({detail}).").format(
        detail=error
    )


def copy_link(scenario: Scenario, feedback: Feedback) -> str:
    """Put the link to `scenario` on the clipboard and say so; the link."""
    link = scenario_to_link(scenario)
    QGuiApplication.clipboard().setText(link)
    feedback.note(
        tr("Copied a link to this experiment to the clipboard ({count} characters).").format(count=len(link)),
        5000,
    )
    return link


def clipboard_text() -> str:
    return QGuiApplication.clipboard().text()


def read_link(text: str, feedback: Feedback) -> tuple[Scenario, str] | None:
    """The scenario in the link `text` and the link as the app writes it, or None with a
    sentence in the message bar (nothing changes)."""
    try:
        scenario = scenario_from_link(text)
    except ScenarioError as error:
        feedback.show_message(_failure(error))
        return None
    feedback.show_message("")
    feedback.note(tr("Opened the experiment from the link."), 5000)
    return scenario, scenario_to_link(scenario)
