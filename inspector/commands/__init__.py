"""One module per `inspector` sub-command."""
