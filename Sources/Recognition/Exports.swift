@_exported import Plates
@_exported import Vision
