"""Identity versus equality: PYM001 and PYM002."""


def describe(count, label):
    if count is 0:
        return "nothing"
    if label == None:
        label = "items"
    if label is not "":
        return f"{count} {label}"
    return str(count)


print(describe(3, None))
