"""The look every dialog shares: centred, bordered, buttons in a row, errors in red."""

DIALOG_CSS = """
ModalScreen { align: center middle; }
ModalScreen > Vertical { width: 90%; max-width: 100; height: auto; max-height: 90%;
    border: thick $primary; background: $surface; padding: 1 2; }
ModalScreen .buttons { height: auto; margin-top: 1; }
ModalScreen .buttons Button { margin-right: 2; }
ModalScreen .errors { color: $error; height: auto; }
ModalScreen Input.-textual-compact { background: $panel; }  /* a one-line field still shows */
ModalScreen Input.-textual-compact:focus { background: $primary 40%; }
ModalScreen .about { color: $text-muted; height: auto; }
ModalScreen .form-keys { color: $text-muted; height: auto; }
ModalScreen .advice { color: $warning; height: auto; }
ModalScreen Label { width: 1fr; }  /* long questions wrap inside the box */
ModalScreen SelectionList { height: 6; }
ModalScreen VerticalScroll { height: auto; max-height: 50vh; }  /* leaves the buttons in view at 80x24 */
ModalScreen .links { height: auto; }
ModalScreen .link-picker { height: auto; }
ModalScreen .link-picker Select { width: 1fr; }
"""
