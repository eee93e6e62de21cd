"""The LRO's terminal UI (Textual). Screens draw a headless Session; app.py only wires them."""
