'use strict';

const { EventEmitter } = require('events');

/** Emits typed events. */
class Bus extends EventEmitter {
  constructor(name) {
    super();
    this.name = name;
    this.handlers = new Map();
  }

  subscribe(topic, handler) {
    const list = this.handlers.get(topic) || [];
    list.push(handler);
    this.handlers.set(topic, list);
    return () => this.unsubscribe(topic, handler);
  }

  unsubscribe(topic, handler) {
    const list = this.handlers.get(topic) || [];
    this.handlers.set(topic, list.filter((h) => h !== handler));
  }

  get size() {
    return this.handlers.size;
  }

  static create(name) {
    return new Bus(name);
  }

  *topics() {
    yield* this.handlers.keys();
  }
}

function publish(bus, topic, payload) {
  for (const handler of bus.handlers.get(topic) || []) {
    handler(payload);
  }
}

async function publishLater(bus, topic, payload, delay) {
  await new Promise((resolve) => setTimeout(resolve, delay));
  publish(bus, topic, payload);
}

module.exports = { Bus, publish, publishLater };
