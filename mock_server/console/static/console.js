// The console's only script, and an optional one: every page works without it. It adds
// copy buttons, the live view's refresh every second, and the player's transcript that
// follows the recording. No library, no build step.
"use strict";

function announce(text) {
  const region = document.querySelector(".messages");
  if (region) {
    region.innerHTML = "";
    const line = document.createElement("p");
    line.className = "message ok";
    line.textContent = text;
    region.appendChild(line);
  }
}

// Copy buttons: <button data-copy="id-of-a-textarea">.
function setUpCopying() {
  document.querySelectorAll("button[data-copy]").forEach((button) => {
    button.addEventListener("click", async () => {
      const field = document.getElementById(button.dataset.copy);
      try {
        await navigator.clipboard.writeText(field.value);
      } catch (error) {
        // Not a secure context (the console opened by a LAN address): the old way.
        field.select();
        document.execCommand("copy");
      }
      announce("Скопировано: " + field.labels[0].textContent);
    });
  });
}

// The company selector applies as soon as it changes.
function setUpAutosubmit() {
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
}

// "Обновлено" by the mock clock the panel carries (data-now), in Moscow time, never the
// browser's clock: a pinned or frozen mock is hours or years away from it.
function updatedText(box) {
  const clock = box.querySelector("[data-now]");
  if (!clock) return "Обновлено";
  const shown = new Date(clock.dataset.now).toLocaleTimeString("ru-RU", {
    timeZone: "Europe/Moscow",
  });
  const frozen = clock.dataset.frozen === "true" ? ", часы мока стоят" : "";
  return "Обновлено: " + shown + " МСК по часам мока" + frozen;
}

// <div data-poll="url" data-poll-interval="ms">: replaced by what the URL answers, while the
// page is visible. Replaced only when it changed, so a screen reader is not told every second.
function setUpPolling() {
  document.querySelectorAll("[data-poll]").forEach((box) => {
    const interval = Number(box.dataset.pollInterval || 1000);
    const status = document.getElementById("live-status");
    let busy = false;
    async function refresh() {
      if (busy || document.visibilityState !== "visible") return;
      busy = true;
      try {
        const response = await fetch(box.dataset.poll, { cache: "no-store" });
        if (!response.ok) throw new Error("HTTP " + response.status);
        const html = await response.text();
        if (html !== box.dataset.last) {
          box.innerHTML = html;
          box.dataset.last = html;
        }
        if (status) status.textContent = updatedText(box);
      } catch (error) {
        if (status) status.textContent = "Нет ответа от мока (" + error.message + "), повторяю…";
      } finally {
        busy = false;
      }
    }
    setInterval(refresh, interval);
  });
}

// Journal rows with a recording open it when clicked anywhere (the link in the row does the
// same for the keyboard).
function setUpRowLinks() {
  document.querySelectorAll("tr[data-href]").forEach((row) => {
    row.addEventListener("click", (event) => {
      if (event.target.closest("a, button")) return;
      window.location.href = row.dataset.href;
    });
  });
}

// <audio data-transcript="id">: the word being said is highlighted; a click on a word plays
// from it.
function setUpPlayer() {
  const audio = document.querySelector("audio[data-transcript]");
  if (!audio) return;
  const status = document.getElementById("player-status");
  audio.addEventListener("error", () => {
    if (status) status.textContent = "Запись не загрузилась";
  });
  const box = document.getElementById(audio.dataset.transcript);
  if (!box) return;
  const words = Array.from(box.querySelectorAll(".word")).map((element) => ({
    element,
    start: Number(element.dataset.start),
    end: Number(element.dataset.end),
  }));
  let current = null;
  function wordAt(time) {
    let low = 0;
    let high = words.length - 1;
    let found = null;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (words[middle].start <= time) {
        found = words[middle];
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found && time < found.end ? found : null;
  }
  function highlight() {
    const word = wordAt(audio.currentTime);
    if (word === current) return;
    if (current) {
      current.element.classList.remove("current");
      current.element.removeAttribute("aria-current");
    }
    current = word;
    if (current) {
      current.element.classList.add("current");
      current.element.setAttribute("aria-current", "true");
      const top = current.element.offsetTop; // the box is the words' offsetParent
      if (top < box.scrollTop || top > box.scrollTop + box.clientHeight - 30) {
        box.scrollTop = top - box.clientHeight / 3;
      }
    }
  }
  function follow() {
    highlight();
    if (!audio.paused) requestAnimationFrame(follow);
  }
  audio.addEventListener("play", () => requestAnimationFrame(follow));
  audio.addEventListener("seeked", highlight);
  audio.addEventListener("timeupdate", highlight);
  box.addEventListener("click", (event) => {
    const element = event.target.closest(".word");
    if (!element) return;
    audio.currentTime = Number(element.dataset.start);
    audio.play();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setUpCopying();
  setUpAutosubmit();
  setUpPolling();
  setUpRowLinks();
  setUpPlayer();
});
