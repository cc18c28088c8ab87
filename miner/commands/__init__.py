"""The command line, one module per command or command group. Takes: the arguments and options
a person types. Gives: a thin click function calling its stage, and that stage's output shown."""
