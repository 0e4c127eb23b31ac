// Vite's module kinds that TypeScript cannot know: CSS imported for its side effect.
declare module '*.css';
