package io.github.poolguard.integration.jpa;

import io.github.poolguard.routing.BackgroundWork;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A service whose every method is background work, declared once on the class.
 */
@Service
@BackgroundWork
public class NightlyNotes {

	private final NoteRepository repository;

	NightlyNotes(NoteRepository repository) {
		this.repository = repository;
	}

	@Transactional(isolation = Isolation.REPEATABLE_READ)
	public String saveAndTellConnection(String text) {
		this.repository.save(new Note(text));
		return this.repository.currentApplicationName();
	}

}
