"""The application shell: start-up, the main window, the typed application context
(:mod:`ui.shell.context`) that every controller receives, settings, undo and the task runner.
The shell composes the other sub-packages; they import the shell and the core, not each other."""
