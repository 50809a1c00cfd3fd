"""Inventory management: a fixture for the ctags agreement test."""
import functools
from dataclasses import dataclass


@dataclass
class Item:
    sku: str
    quantity: int = 0

    def restock(self, amount):
        """Adds stock."""
        self.quantity += amount
        return self.quantity


class Warehouse:
    def __init__(self, name):
        self.name = name
        self.items = {}

    @property
    def size(self):
        return len(self.items)

    @staticmethod
    def normalise(sku):
        return sku.strip().upper()

    @classmethod
    def empty(cls, name):
        return cls(name)

    def add(self, item):
        key = self.normalise(item.sku)
        if key in self.items:
            self.items[key].restock(item.quantity)
        else:
            self.items[key] = item

    def report(self):
        def line(item):
            return f"{item.sku}: {item.quantity}"

        return "\n".join(line(item) for item in self.items.values())

    class Audit:
        def check(self, warehouse):
            return all(item.quantity >= 0 for item in warehouse.items.values())


@functools.lru_cache(maxsize=None)
def parse_sku(text):
    return text.split("-")


async def sync_remote(warehouse, client):
    for item in warehouse.items.values():
        await client.push(item)
    return True
