package io.github.poolguard.sample.naive;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.poolguard.sample.fetch.FetchRequest;

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
 * {@code /api/fetch-runs} when {@code sample.fetch.mode=naive}: the same requests as the guarded
 * controller, served by the {@link NaiveFetchJob}. Runs are kept in memory only.
 */
@RestController
@ConditionalOnProperty(name = "sample.fetch.mode", havingValue = "naive")
@RequestMapping("/api/fetch-runs")
class NaiveFetchRunController {

	private final NaiveFetchJob job;

	NaiveFetchRunController(NaiveFetchJob job) {
		this.job = job;
	}

	@PostMapping
	ResponseEntity<Map<String, Object>> start(@RequestBody(required = false) StartRequest request) {
		StartRequest body = (request != null) ? request : new StartRequest(List.of(), false, true);
		try {
			NaiveFetchRun run = this.job.start(new FetchRequest((body.tickers() != null) ? body.tickers() : List.of(),
					body.forceFull(), body.useBrapi() == null || body.useBrapi()));
			return ResponseEntity.accepted()
				.location(URI.create("/api/fetch-runs/" + run.getId()))
				.body(Map.of("id", run.getId(), "state", "RUNNING"));
		}
		catch (IllegalStateException ex) {
			return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", ex.getMessage()));
		}
	}

	@GetMapping("/{id}")
	Map<String, Object> progress(@PathVariable long id) {
		NaiveFetchRun run = this.job.current();
		if (run == null || run.getId() != id) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No naive fetch run " + id);
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", id);
		body.put("state", run.isFinished() ? "COMPLETED" : "RUNNING");
		body.put("total", run.getTotal());
		body.put("ok", run.getOk());
		body.put("failed", run.getFailed());
		body.put("done", run.getOk() + run.getFailed());
		body.put("rowsWritten", run.getRowsWritten());
		body.put("elapsedMillis", run.elapsed().toMillis());
		return body;
	}

	record StartRequest(List<String> tickers, boolean forceFull, Boolean useBrapi) {
	}

}
