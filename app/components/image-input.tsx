import { useRevalidator } from "@remix-run/react";
import { useEffect, useId, useRef, useState } from "react";
import { FieldNotes } from "#app/components/forms.tsx";

/**
 * A picture chooser that shows the chosen image before anything is sent. Without JavaScript the file travels with
 * the form when it is saved, as `name` (and `remove-<name>` when the current one is to go). With `uploadTo` and
 * JavaScript it is uploaded at once, with a progress bar, as `kind` = name and `file`: the profile's pictures do that.
 * `error` is what the server said about the last file sent, shown beside the chooser.
 */
export function ImageInput({
  name,
  label,
  current,
  shape,
  uploadTo,
  hint,
  error,
}: {
  name: string;
  label: string;
  current: string | null;
  shape: "round" | "wide";
  uploadTo?: string;
  hint?: string;
  error?: string;
}) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const revalidator = useRevalidator();

  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);

  function upload(file: File, url: string) {
    const body = new FormData();
    body.set("kind", name);
    body.set("file", file);
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.upload.onprogress = (event) => event.lengthComputable && setProgress(Math.round((event.loaded / event.total) * 100));
    request.onload = () => {
      setProgress(null);
      const answer = (() => {
        try {
          return JSON.parse(request.responseText) as { error?: string };
        } catch {
          return { error: "The upload failed; try again." };
        }
      })();
      if (request.status >= 400 || answer.error) {
        setMessage({ error: true, text: answer.error ?? "The upload failed; try again." });
        setPreview(null);
      } else {
        setMessage({ error: false, text: `${label} saved.` });
        revalidator.revalidate();
      }
      if (input.current) input.current.value = "";
    };
    request.onerror = () => {
      setProgress(null);
      setMessage({ error: true, text: "The upload failed; check your connection and try again." });
    };
    request.send(body);
  }

  const shown = preview ?? current;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="flex flex-col gap-2">
      <label htmlFor={id} className="font-medium">
        {label}
      </label>
      {shown && (
        <img
          src={shown}
          alt={`${label} preview`}
          // A chosen file the browser cannot show (not an image after all) is not previewed as a broken image.
          onError={() => preview && setPreview(null)}
          className={
            shape === "round" ? "size-24 rounded-full bg-raised object-cover" : "aspect-[3/1] w-full rounded-lg bg-raised object-cover"
          }
        />
      )}
      <input
        ref={input}
        id={id}
        name={name}
        type="file"
        accept="image/jpeg,image/png,image/gif,image/webp,image/avif"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className="text-sm"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          if (!file) return;
          setMessage(null);
          // Only what the browser takes for an image is previewed; the server decides by the bytes either way.
          setPreview(file.type.startsWith("image/") ? URL.createObjectURL(file) : null);
          if (uploadTo) upload(file, uploadTo);
        }}
      />
      <FieldNotes hint={hint} hintId={hintId} error={error} errorId={errorId} />
      {progress !== null && (
        <progress value={progress} max={100} aria-label={`Uploading ${label.toLowerCase()}`} className="w-full">
          {progress}%
        </progress>
      )}
      {message && (
        <p role={message.error ? "alert" : "status"} className={`text-sm ${message.error ? "font-medium text-danger" : "text-muted"}`}>
          {message.text}
        </p>
      )}
      {current && (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name={`remove-${name}`} value="1" /> Remove the current {label.toLowerCase()}
        </label>
      )}
    </div>
  );
}
