"""The archivist's workbench (`vanthu serve`): a Starlette application with Jinja2 templates
and a little htmx (vendored in static/, htmx 2.0.11, 0BSD licence), in Vietnamese.

- `app`: routes, login, sessions, security headers, Datasette mounted at /datasette/;
- `context`: what handlers share, and the guard (logged in; a form's CSRF token);
- `security`: sessions' users and CSRF tokens;
- `documents`: the review queue and the document page (`forms`: its fields;
  `highlights`: where each value was read; `pageimages`: page images and thumbnails);
- `board`: the deadlines board, ICS and CSV.
"""
