import msjax

msjax.install()  # unit tests may `import mindspore`, exactly as user code does
