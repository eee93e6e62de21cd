"""One module per screen; each screen's styles sit beside it in a .tcss of the same name."""
