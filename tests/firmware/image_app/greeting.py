def hello():
    return 'hello from the image'
