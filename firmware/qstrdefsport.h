// qstrs the port uses outside MP_QSTR_ in C sources: none.
