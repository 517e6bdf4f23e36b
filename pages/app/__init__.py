"""Pages of the 北京通企服版 APP (the platform's mobile H5 pages), driven on an emulated phone: tapped, not clicked."""
