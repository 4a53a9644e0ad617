import { useEffect, useId, useRef, useState, type KeyboardEvent, type TextareaHTMLAttributes } from "react";
import type { Suggestion } from "#app/routes/resources.typeahead.ts";

/** The @mention or #hashtag being typed just before the caret. */
const TYPING = /(?:^|[\s(])([@#][\p{L}\p{M}\p{N}_]{1,30})$/u;

/**
 * A textarea that suggests accounts after @ and hashtags after # (from /resources/typeahead), as a listbox the textarea
 * points into with aria-activedescendant: Up and Down move, Enter or Tab inserts, Escape closes. Without JavaScript it
 * is the plain textarea it wraps. (A textarea cannot carry the combobox role, so it keeps its textbox role with
 * aria-autocomplete and aria-controls, and a status line announces how many suggestions there are.)
 */
export function TypeaheadTextarea({
  onValue,
  hydrated,
  ...props
}: TextareaHTMLAttributes<HTMLTextAreaElement> & {
  id: string;
  onValue: (value: string) => void;
  /** Until the page runs JavaScript the textarea is exactly what it is without it: no list, nothing pointing at one. */
  hydrated: boolean;
}) {
  const listId = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  const [token, setToken] = useState<string | null>(null);
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [active, setActive] = useState(0);
  const open = token !== null && suggestions.length > 0;

  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/resources/typeahead?${new URLSearchParams({ q: token })}`, {
        signal: controller.signal,
        headers: { Accept: "application/json" },
      })
        .then((response) => (response.ok ? (response.json() as Promise<{ suggestions: Suggestion[] }>) : { suggestions: [] }))
        .then((body) => {
          setSuggestions(body.suggestions);
          setActive(0);
        })
        .catch(() => undefined);
    }, 120);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [token]);

  const readToken = (textarea: HTMLTextAreaElement) => {
    const before = textarea.value.slice(0, textarea.selectionStart);
    const typed = TYPING.exec(before)?.[1] ?? null;
    setToken(typed);
    if (!typed) setSuggestions([]);
  };

  const insert = (suggestion: Suggestion) => {
    const textarea = ref.current;
    if (!textarea || !token) return;
    const caret = textarea.selectionStart;
    const start = caret - token.length;
    const value = `${textarea.value.slice(0, start)}${suggestion.value} ${textarea.value.slice(caret)}`;
    textarea.value = value;
    const at = start + suggestion.value.length + 1;
    textarea.setSelectionRange(at, at);
    onValue(value);
    setToken(null);
    setSuggestions([]);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!open) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((current) => (current + step + suggestions.length) % suggestions.length);
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      insert(suggestions[active]!);
    } else if (event.key === "Escape") {
      event.preventDefault();
      setToken(null);
      setSuggestions([]);
    }
  };

  const optionId = (index: number) => `${listId}-option-${index}`;
  return (
    <div className="relative">
      <textarea
        {...props}
        ref={ref}
        aria-autocomplete={hydrated ? "list" : undefined}
        aria-controls={hydrated ? listId : undefined}
        aria-activedescendant={open ? optionId(active) : undefined}
        onKeyDown={onKeyDown}
        onChange={(event) => {
          props.onChange?.(event);
          readToken(event.currentTarget);
        }}
        onBlur={(event) => {
          props.onBlur?.(event);
          setToken(null);
          setSuggestions([]);
        }}
      />
      {hydrated && (
        <>
          <ul
            id={listId}
            role="listbox"
            aria-label="Suggestions"
            hidden={!open}
            className="absolute z-30 mt-1 w-full max-w-sm overflow-hidden rounded-lg border border-line bg-surface shadow-lg"
          >
            {suggestions.map((suggestion, index) => (
              <li
                key={suggestion.value}
                id={optionId(index)}
                role="option"
                aria-selected={index === active}
                onMouseDown={(event) => {
                  event.preventDefault();
                  insert(suggestion);
                }}
                className={`flex min-h-11 cursor-pointer items-center gap-2 px-3 py-2 ${index === active ? "bg-accent-soft" : ""}`}
              >
                {suggestion.avatar && <img src={suggestion.avatar} alt="" width={32} height={32} className="size-8 rounded-full" />}
                <span className="min-w-0">
                  <span className="block truncate font-semibold">{suggestion.label}</span>
                  <span className="block truncate text-sm text-muted">{suggestion.detail}</span>
                </span>
              </li>
            ))}
          </ul>
          <p role="status" className="sr-only">
            {open ? `${suggestions.length} suggestions, use up and down to choose, Enter to insert` : ""}
          </p>
        </>
      )}
    </div>
  );
}
