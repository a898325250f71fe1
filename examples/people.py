"""A staticmethod factory that forgets subclasses: PYM005."""


class Person:
    default = "John"

    def __init__(self, name=None):
        self.name = name or self.default

    @classmethod
    def class_person(cls):
        return cls()

    @staticmethod
    def static_person():
        return Person()


class WhatPerson(Person):
    default = "Anna"


print(WhatPerson.class_person().name)   # Anna
print(WhatPerson.static_person().name)  # John: the staticmethod built a Person
