use std::collections::VecDeque;
use std::fmt;

/// A bounded queue.
pub struct Queue<T> {
    items: VecDeque<T>,
    capacity: usize,
}

pub enum PushError {
    Full,
}

pub trait Drain<T> {
    fn drain_all(&mut self) -> Vec<T>;

    fn is_drained(&self) -> bool {
        true
    }
}

impl<T> Queue<T> {
    pub fn new(capacity: usize) -> Self {
        Queue { items: VecDeque::new(), capacity }
    }

    pub fn push(&mut self, item: T) -> Result<(), PushError> {
        if self.items.len() >= self.capacity {
            return Err(PushError::Full);
        }
        self.items.push_back(item);
        Ok(())
    }

    pub fn pop(&mut self) -> Option<T> {
        self.items.pop_front()
    }
}

impl<T> Drain<T> for Queue<T> {
    fn drain_all(&mut self) -> Vec<T> {
        self.items.drain(..).collect()
    }
}

impl fmt::Display for PushError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "queue is full")
    }
}

pub fn with_capacity<T>(n: usize) -> Queue<T> {
    Queue::new(n)
}
