"""Starter rules for the junk real feeds carry, offered disabled: an editor previews
each one and switches it on (docs/editors.md has what they catch on the corpus)."""

from django.db import migrations

STARTER_RULES = [
    {
        "name": "Starter: language-model prompt left as a title",
        "position": 10,
        "action": "reject",
        "title_pattern": (
            r"^\s*(please|kindly)\s+(include|write|rewrite|generate|create|make|add|use|provide)\b"
            r"|\bin the (title|headline)\b.*\bif it makes sense\b"
            r"|\bas an ai language model\b"
            r"|\bregenerate response\b"
            r"|\bhere is (a|the) (rewritten|revised) (title|headline)\b"
        ),
        "note": "An instruction to a text generator published instead of a headline, "
        "e.g. “Please include CSIRO, AI, and Australia in the Title…”.",
    },
    {
        "name": "Starter: market-research press releases",
        "position": 20,
        "action": "reject",
        "title_pattern": (
            r"\bCAGR\b|forecast period|researchandmarke|\bmarket\s*:"
            r"|\bmarket\b[^|]{0,60}(\|| - )"
            r"|\bmarket\b.{0,80}\b(size|share|forecasts?|analysis|outlook|next big thing"
            r"|major giants|breaks out)\b"
            r"|\b(market|industry)\b.{0,40}\b(19|20)\d\d\s*(-|–|to)\s*(19|20)\d\d"
            r"|\b(market|industry) to (19|20)\d\d\b"
        ),
        "note": "“…Market Next Big Thing | Major Giants…”, “…at a CAGR of over 19 % during "
        "the forecast period”: report adverts, not news.",
    },
    {
        "name": "Starter: subscription and newsletter stubs",
        "position": 30,
        "action": "reject",
        "title_pattern": (
            r"\bsubscriber to read\b|^\s*subscribe to (read|continue)\b"
            r"|\be-?newsletter\s*$|\bsign up for (our|the) newsletter\b"
        ),
        "note": "A paywall or newsletter page captured instead of the story.",
    },
    {
        "name": "Starter: nothing about AI in the title or excerpt",
        "position": 90,
        "action": "hold",
        "unless_pattern": (
            r"\b(ai|a\.i\.|artificial intelligence|machine learning|deep learning|neural"
            r"|robot\w*|algorithm\w*|automl|chatbot\w*|computer vision|face recognition"
            r"|facial[- ]recognition|face[- ]detection|image recognition|speech recognition"
            r"|natural language|nlp|language models?|gpus?|chips?|self-driving|driverless"
            r"|autonomous|data science|tensorflow|pytorch|watson|cognitive|translation|lidar"
            r"|waymo|sagemaker|rekognition|inteligencia artificial|ia)\b"
        ),
        "note": "Held, not rejected: off-topic items are often real news, just not ours. "
        "Extend the list of subjects if it holds stories you want.",
    },
]


def add_starter_rules(apps, schema_editor):
    Rule = apps.get_model("articles", "Rule")
    for values in STARTER_RULES:
        Rule.objects.get_or_create(name=values["name"], defaults={**values, "enabled": False})


def remove_starter_rules(apps, schema_editor):
    Rule = apps.get_model("articles", "Rule")
    Rule.objects.filter(name__in=[values["name"] for values in STARTER_RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_review_states_and_rules")]

    operations = [migrations.RunPython(add_starter_rules, remove_starter_rules)]
