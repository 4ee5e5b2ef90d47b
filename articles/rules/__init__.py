"""Editorial rules: conditions on stored stories and one action each (docs/editors.md).

- ``models``: ``Rule`` and ``RuleHit``;
- ``patterns``: the linear-time regular expressions (RE2) rules match with;
- ``matching``: which stories a rule's conditions select;
- ``engine``: running rules over stories, first rule wins, hits recorded;
- ``apply``: a rule over every stored story (the on-demand action), in batches;
- ``starter``: the starter rules offered, disabled, to a new site.
"""
