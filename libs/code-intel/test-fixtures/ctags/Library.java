package fixtures.library;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A library of books. */
public class Library {
    private final List<Book> books = new ArrayList<>();

    public Library() {
    }

    @Deprecated
    public Library(List<Book> initial) {
        books.addAll(initial);
    }

    public void add(Book book) {
        books.add(book);
    }

    @Override
    public String toString() {
        return "Library(" + books.size() + ")";
    }

    public Optional<Book> find(String title) {
        for (Book book : books) {
            if (book.title().equals(title)) {
                return Optional.of(book);
            }
        }
        return Optional.empty();
    }

    static <T> List<T> copy(List<T> source) {
        return new ArrayList<>(source);
    }

    public static class Shelf {
        private int capacity;

        int capacity() {
            return capacity;
        }
    }

    interface Catalog {
        List<Book> all();

        default int count() {
            return all().size();
        }
    }

    enum Genre {
        FICTION, SCIENCE;

        boolean isFiction() {
            return this == FICTION;
        }
    }
}

class Book {
    private final String title;

    Book(String title) {
        this.title = title;
    }

    String title() {
        return title;
    }
}
