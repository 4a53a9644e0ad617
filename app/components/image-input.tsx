import { useRevalidator } from "@remix-run/react";
import { useEffect, useId, useRef, useState } from "react";

/**
 * A picture chooser that shows the chosen image before anything is sent. Without JavaScript the file travels with
 * the form when it is saved; with JavaScript it is uploaded at once, with a progress bar, to /settings/profile/images.
 */
export function ImageInput({
  kind,
  label,
  current,
  shape,
}: {
  kind: "avatar" | "header" | "background";
  label: string;
  current: string | null;
  shape: "round" | "wide";
}) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const revalidator = useRevalidator();

  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);

  function upload(file: File) {
    const body = new FormData();
    body.set("kind", kind);
    body.set("file", file);
    const request = new XMLHttpRequest();
    request.open("POST", "/settings/profile/images");
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
  return (
    <div className="flex flex-col gap-2">
      <label htmlFor={id} className="font-medium">
        {label}
      </label>
      {shown && (
        <img
          src={shown}
          alt={`${label} preview`}
          className={
            shape === "round" ? "size-24 rounded-full bg-raised object-cover" : "aspect-[3/1] w-full rounded-lg bg-raised object-cover"
          }
        />
      )}
      <input
        ref={input}
        id={id}
        name={kind}
        type="file"
        accept="image/jpeg,image/png,image/gif,image/webp,image/avif"
        className="text-sm"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          if (!file) return;
          setMessage(null);
          setPreview(URL.createObjectURL(file));
          upload(file);
        }}
      />
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
          <input type="checkbox" name={`remove-${kind}`} value="1" /> Remove the current {label.toLowerCase()}
        </label>
      )}
    </div>
  );
}
