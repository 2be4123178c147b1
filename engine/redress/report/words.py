"""The words a published report uses for the ids in results: services, outcomes, roles, channels,
remedies, Ombudsman decisions, deadline kinds and topics.  JSON keeps the ids; every table, chart
and sentence of the Markdown and HTML reports goes through :func:`word`.

An id with no entry here (a local topic, a new enumeration value) is still readable: underscores
become spaces and the first letter is a capital.
"""

from __future__ import annotations

from collections.abc import Mapping

SERVICES = {"children_social_care": "Children's social care",
            "adult_social_care": "Adult social care", "nhs": "NHS",
            "council_corporate": "Council services", "housing": "Housing",
            "public_health": "Public health", "education": "Education", "other": "Other"}
OUTCOMES = {"upheld": "Upheld", "partly_upheld": "Partly upheld", "not_upheld": "Not upheld",
            "undecided": "Not yet decided", "resolved": "Resolved", "no_finding": "No finding"}
OMBUDSMAN_DECISIONS = {
    "upheld": "Upheld", "partly_upheld": "Partly upheld",
    "upheld_remedy_provided": "Upheld: already put right by the council",
    "not_upheld": "Not upheld", "not_investigated": "Not investigated",
    "premature": "Premature: sent back to the council", "withdrawn": "Withdrawn"}
OMBUDSMEN = {"LGSCO": "Local Government and Social Care Ombudsman",
             "HOS": "Housing Ombudsman", "PHSO": "Parliamentary and Health Service Ombudsman",
             "JWT": "Joint working team (LGSCO and PHSO)",
             "PSOW": "Public Services Ombudsman for Wales",
             "SPSO": "Scottish Public Services Ombudsman",
             "NIPSO": "Northern Ireland Public Services Ombudsman"}
ROLES = {"child": "Child or young person", "care_leaver": "Care leaver", "parent": "Parent",
         "person_with_parental_responsibility": "Person with parental responsibility",
         "foster_parent": "Foster carer", "special_guardian": "Special guardian",
         "service_user": "Person using the service", "representative": "Representative",
         "relative": "Relative", "other": "Other"}
CHANNELS = {"written": "In writing", "oral": "In person or by phone",
            "electronic": "Online or by email"}
REMEDIES = {"apology": "Apology", "payment": "Payment", "service_review": "Service review",
            "procedural_change": "Change to a procedure", "staff_training": "Staff training",
            "review_others_affected": "Review of others affected"}
REMEDY_STATES = {"completed_on_time": "Done on time", "completed_late": "Done late",
                 "outstanding": "Not yet due", "overdue": "Overdue"}
DEADLINES = {"acknowledge": "Acknowledgement", "discuss": "Discussion offered",
             "respond": "Response",
             "response_period": "Response within the period set or agreed",
             "panel_meeting": "Review panel meeting", "panel_report": "Review panel's report",
             "final_response": "Final response",
             "confirm_resolution": "Written confirmation of the resolution",
             "request_next_stage": "Complainant asked for the next stage in time"}
TIMELINESS = {"on_time": "On time", "within_extension": "Within an extension", "late": "Late",
              "pending": "Not yet due"}
TOPICS = {"camhs": "Child and adolescent mental health services (CAMHS)",
          "foi_request": "Freedom of information request",
          "education_send": "Special educational needs (SEND)",
          "anti_social_behaviour": "Anti-social behaviour",
          "adult_own_treatment": "An adult's own treatment", "superannuation": "Pensions"}
RECORDS = {"compliments": "Compliments", "representations": "Representations",
           "routed_elsewhere": "Routed elsewhere"}
UNSTATED = "Not recorded"

VOCABULARIES: Mapping[str, Mapping[str, str]] = {
    "service": SERVICES, "outcome": OUTCOMES, "ombudsman_decision": OMBUDSMAN_DECISIONS,
    "ombudsman": OMBUDSMEN, "role": ROLES, "channel": CHANNELS, "remedy": REMEDIES,
    "remedy_state": REMEDY_STATES, "deadline": DEADLINES, "timeliness": TIMELINESS,
    "topic": TOPICS, "record": RECORDS}


def word(kind: str, value: object) -> str:
    """The words for ``value`` (an id of vocabulary ``kind``); never the raw id."""
    if value is None or value == "" or value == "None":
        return UNSTATED
    text = str(value)
    known = VOCABULARIES.get(kind, {}).get(text)
    return known if known is not None else humanise(text)


def humanise(text: str) -> str:
    """``care_planning`` → ``Care planning``; text with spaces or capitals is kept as written."""
    if " " in text or any(c.isupper() for c in text):
        return text
    plain = text.replace("_", " ").replace("-", " ").strip()
    return plain[:1].upper() + plain[1:] if plain else UNSTATED


def stage_words(stage: str, title: str | None = None) -> str:
    """``Stage 1 (local resolution)``, or ``Stage 1`` when the procedure gives no title."""
    number = stage[5:] if stage.startswith("stage") else stage
    named = f"Stage {number}"
    if not title or title.lower().startswith(named.lower()):
        return title or named
    return f"{named} ({title[:1].lower() + title[1:]})"


__all__ = ["UNSTATED", "VOCABULARIES", "humanise", "stage_words", "word"]
