"""Modal dialogs, one per module: confirm, the entity form, the export dialog (and their style).

The plan's own forms (decision, owner, progress) are in tui/screens/action_forms.py.
"""

from achilles.tui.screens.dialogs.confirm import Confirm
from achilles.tui.screens.dialogs.entity_form import EntityForm
from achilles.tui.screens.dialogs.export import ExportDialog
from achilles.tui.screens.dialogs.form_fields import form_fields
from achilles.tui.screens.dialogs.style import DIALOG_CSS

__all__ = ["DIALOG_CSS", "Confirm", "EntityForm", "ExportDialog", "form_fields"]
