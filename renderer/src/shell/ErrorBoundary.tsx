/** Catches a render bug in one screen and shows what happened with a way on, so the learner never faces a blank window. */
import { Component, type ErrorInfo, type ReactNode } from 'react';

type Props = { children: ReactNode };
type State = { error: Error | null };

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // The console is where a tester or developer looks; the learner sees the message below.
    console.error('Screen failed to render', error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div role="alert" className="screen-error">
        <h1>This screen could not be shown</h1>
        <p>Something went wrong while showing it: {error.message}</p>
        <p>Your work is saved. You can try again, or go back to the library.</p>
        <div className="actions">
          <button type="button" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
          <a href="#/library">Back to the library</a>
        </div>
      </div>
    );
  }
}
