"""Small widgets and helpers shared by screens."""
