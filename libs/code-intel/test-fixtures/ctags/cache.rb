require 'json'
require_relative 'store'

module Caching
  class LruCache
    attr_reader :capacity

    def initialize(capacity)
      @capacity = capacity
      @entries = {}
    end

    def get(key)
      return nil unless @entries.key?(key)

      value = @entries.delete(key)
      @entries[key] = value
    end

    def put(key, value)
      @entries.delete(key)
      @entries[key] = value
      evict! if @entries.size > capacity
    end

    def self.from_json(text)
      data = JSON.parse(text)
      new(data['capacity'])
    end

    def empty?
      @entries.empty?
    end

    private

    def evict!
      @entries.delete(@entries.keys.first)
    end
  end

  module Helpers
    def self.key_for(*parts)
      parts.join(':')
    end
  end
end

def build_cache(size)
  Caching::LruCache.new(size)
end
