"""Measuring, without writing anything: `timing` (interleaved medians, cold processes, profiles,
the machine), `in_process` (the rulebooks, the sample cases, `recommend` stage by stage),
`cold` (the CLI and TUI as a user starts them), `batch` (`achilles batch` over corpora)."""
