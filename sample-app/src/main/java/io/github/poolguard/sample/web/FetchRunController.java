package io.github.poolguard.sample.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.poolguard.batch.BatchProgress;
import io.github.poolguard.sample.fetch.FetchAlreadyRunningException;
import io.github.poolguard.sample.fetch.FetchHandle;
import io.github.poolguard.sample.fetch.FetchJob;
import io.github.poolguard.sample.fetch.FetchRequest;
import io.github.poolguard.sample.store.FetchRunRecord;
import io.github.poolguard.sample.store.FetchRunRepository;
import io.github.poolguard.sample.universe.TickerUniverse;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Starts fetch runs on the throttling executor and reports their progress.
 */
@RestController
@ConditionalOnProperty(name = "sample.fetch.mode", havingValue = "guarded", matchIfMissing = true)
@RequestMapping("/api/fetch-runs")
class FetchRunController {

	/**
	 * The most tickers one request may name: more than the exchange lists.
	 */
	static final int MAX_TICKERS = 1000;

	private final FetchJob job;

	private final FetchRunRepository runs;

	FetchRunController(FetchJob job, FetchRunRepository runs) {
		this.job = job;
		this.runs = runs;
	}

	@PostMapping
	ResponseEntity<Map<String, Object>> start(@RequestBody(required = false) StartRequest request) {
		StartRequest body = (request != null) ? request : new StartRequest(null, null, null);
		try {
			FetchHandle handle = this.job.start(body.toFetchRequest());
			return ResponseEntity.accepted()
				.location(URI.create("/api/fetch-runs/" + handle.getId()))
				.body(Map.of("id", handle.getId(), "state", handle.progress().state().name()));
		}
		catch (FetchAlreadyRunningException ex) {
			return ResponseEntity.status(HttpStatus.CONFLICT)
				.location(URI.create("/api/fetch-runs/" + ex.getRunningId()))
				.body(Map.of("error", ex.getMessage(), "running", ex.getRunningId()));
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, ex.getMessage());
		}
	}

	@GetMapping("/{id}")
	Map<String, Object> progress(@PathVariable long id) {
		FetchHandle current = this.job.current();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", id);
		if (current != null && current.getId() == id && !current.progress().state().isFinished()) {
			BatchProgress progress = current.progress();
			body.put("state", progress.state().name());
			body.put("total", progress.total());
			body.put("done", progress.done());
			body.put("ok", progress.succeeded());
			body.put("failed", progress.failed());
			body.put("retries", progress.retries());
			body.put("rowsWritten", current.rowsWritten());
			body.put("itemsPerSecond", Math.round(progress.rate() * 10) / 10.0);
			body.put("progress", progress.toLogLine());
			return body;
		}
		FetchRunRecord record = this.runs.findById(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No fetch run " + id));
		body.put("state", record.getState());
		body.put("total", record.getTickersTotal());
		body.put("ok", record.getOk());
		body.put("failed", record.getFailed());
		body.put("notRun", record.getNotRun());
		body.put("upToDate", record.getUpToDate());
		body.put("rowsWritten", record.getRowsWritten());
		body.put("startedAt", record.getStartedAt());
		body.put("finishedAt", record.getFinishedAt());
		return body;
	}

	/**
	 * The body of a start request; every field is optional.
	 *
	 * @param tickers the tickers to fetch (default: the whole universe)
	 * @param forceFull whether to refetch everything (default: false)
	 * @param useBrapi whether to call the supplemental source (default: true)
	 */
	record StartRequest(@Nullable List<String> tickers, @Nullable Boolean forceFull, @Nullable Boolean useBrapi) {

		FetchRequest toFetchRequest() {
			List<String> named = (this.tickers != null) ? this.tickers : List.of();
			if (named.size() > MAX_TICKERS) {
				throw new IllegalArgumentException("At most " + MAX_TICKERS + " tickers may be named, not "
						+ named.size() + "; name none to fetch the whole universe");
			}
			return new FetchRequest(named.stream().map(TickerUniverse::normalize).distinct().toList(),
					Boolean.TRUE.equals(this.forceFull), !Boolean.FALSE.equals(this.useBrapi));
		}

	}

}
