"""The practice tools library: thinking tools, prompt sheets, exemplars, links.

A slice inside the programme app: models (imported by ``programme.models``),
selectors, services, forms, filters, views, URLs (added to ``programme.urls``),
admin and demo seed. Other apps call ``programme.tools.services`` and
``programme.tools.selectors`` only.
"""
