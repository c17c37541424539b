"""What every app that reads or writes Excel workbooks shares, below all of them: opening an upload
safely (`opening`), the upload form (`forms`), and the formula-injection guard for what we write
(`safe_cells`). The figures and catalog workbooks themselves live in `ntm.exchange`."""
